// The fast subset of the output-parser fuzz campaign (test/runner/outputs.fuzz.ts runs it long).
import { test } from 'node:test';
import { fuzzOutputs } from './fuzz-cases.js';

test('plugin output, runtime traces, manifests and loader messages: 3,000 mutated inputs', () => {
  fuzzOutputs(3000, 0x5eed);
});
