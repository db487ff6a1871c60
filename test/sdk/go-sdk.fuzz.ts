// Long fuzz campaign for the Go SDK's envelope decoding (FuzzRun in sdk/go/sdk_test.go, Go's
// native fuzzer): any input gives a result or an error, never a panic of the SDK itself. The seed
// corpus runs in every `npm test` through go-sdk.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireTool } from '../helpers/tools.js';
import { go } from './go-tool.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 60);

test(`FuzzRun for ${SECONDS}s`, { timeout: (SECONDS + 240) * 1000 }, async (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const r = await go(
    ['test', '-run=^$', '-fuzz=^FuzzRun$', `-fuzztime=${SECONDS}s`, '-parallel=1', '.'],
    (SECONDS + 200) * 1000,
  );
  assert.equal(r.code, 0, r.output);
});
