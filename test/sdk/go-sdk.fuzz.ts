// Long fuzz campaigns for the Go SDK (Go's native fuzzer, sdk/go/sdk_test.go):
//   FuzzRun         any input envelope gives a result or an error, never a panic of the SDK itself
//   FuzzFastDecode  the fast envelope decoder gives up or agrees with encoding/json exactly
// Their seed corpora run in every `npm test` through go-sdk.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireTool } from '../helpers/tools.js';
import { go } from './go-tool.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 60);

for (const target of ['FuzzRun', 'FuzzFastDecode']) {
  test(`${target} for ${SECONDS}s`, { timeout: (SECONDS + 240) * 1000 }, async (t) => {
    if (!requireTool(t, 'go', 'golang-go', 'version')) return;
    const r = await go(
      ['test', '-run=^$', `-fuzz=^${target}$`, `-fuzztime=${SECONDS}s`, '-parallel=1', '.'],
      (SECONDS + 200) * 1000,
    );
    assert.equal(r.code, 0, r.output);
  });
}
