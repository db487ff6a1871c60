/** The fast subset of the ELF fuzz campaign (test/fuzz/elf.fuzz.ts runs 100,000+ cases). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runElfFuzz } from './elf-mutate.js';

test('3,000 mutated ELF files: only FormatError, each case under a second', (t) => {
  const seed = Number(process.env.ELF_FUZZ_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`seed ${seed} (replay with ELF_FUZZ_SEED=${seed})`);
  const stats = runElfFuzz(3000, seed);
  t.diagnostic(
    `${stats.cases} cases, ${stats.formatErrors} FormatErrors, slowest ${stats.slowest.toFixed(1)} ms`,
  );
  assert.equal(stats.cases, 3000);
});
