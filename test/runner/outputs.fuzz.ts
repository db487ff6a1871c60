// Long fuzz campaign over every parser of plugin and runtime output (see fuzz-cases.ts). Seeds
// vary per run unless FUZZ_SEED is set; the seed is printed so a failure can be replayed.
import { test } from 'node:test';
import { fuzzOutputs } from './fuzz-cases.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 0x7fffffff);
const iterations = Number(process.env.FUZZ_ITERATIONS ?? 200_000);

test(`output parsers: ${iterations} mutated inputs (FUZZ_SEED=${seed})`, () => {
  const before = process.memoryUsage().heapUsed;
  fuzzOutputs(iterations, seed);
  const grown = process.memoryUsage().heapUsed - before;
  if (grown > 256 * 1024 * 1024) throw new Error(`heap grew by ${Math.round(grown / 1048576)} MiB`);
});
