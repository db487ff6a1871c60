// Long fuzz campaign: the example plugins (cJSON helpers in C, the Go SDK) given damaged input
// envelopes never crash and always answer with a JSON object or an error message. A fast subset
// runs in examples.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requirePlugin } from '../helpers/plugins.js';
import { runInChild } from './harness.js';
import { checkFuzzResults, mutatedCalls } from './mutate.js';

const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 40);
const PER_ROUND = 2000;
const SYMBOLS = ['AddHeader', 'RewritePath', 'RequireToken', 'StripServer'];

for (const name of ['example-c', 'example-go'] as const) {
  test(`${name}: ${ROUNDS * PER_ROUND} damaged envelopes`, { timeout: 30 * 60_000 }, async (t) => {
    const lib = await requirePlugin(t, name);
    if (!lib) return;
    for (let round = 0; round < ROUNDS; round++) {
      const calls = mutatedCalls(SYMBOLS, PER_ROUND, 0x5eed0000 + round);
      const run = await runInChild(lib, calls, 120_000);
      assert.deepEqual(checkFuzzResults(calls, run).slice(0, 5), [], `round ${round}`);
    }
  });
}
