/**
 * The long ELF fuzz campaign: at least 100,000 mutated real ELF files (ELF_FUZZ_CASES to change),
 * read with every option. Only FormatError may come out, no case may take a second, and memory
 * must stay bounded. Replay a failure with ELF_FUZZ_SEED.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runElfFuzz } from '../binary/elf-mutate.js';

const CASES = Math.max(100_000, Number(process.env.ELF_FUZZ_CASES ?? 100_000));

test(`${CASES} mutated ELF files: only FormatError, no case over 1 s, bounded memory`, (t) => {
  const seed = Number(process.env.ELF_FUZZ_SEED ?? Date.now() % 1_000_000);
  console.log(`elf fuzz: seed ${seed} (replay with ELF_FUZZ_SEED=${seed})`);
  const stats = runElfFuzz(CASES, seed);
  const summary = `${stats.cases} cases, ${stats.formatErrors} FormatErrors, slowest ${stats.slowest.toFixed(1)} ms, max RSS ${(stats.maxRss / 2 ** 20).toFixed(0)} MB`;
  t.diagnostic(summary);
  console.log(`elf fuzz: ${summary}`);
  assert.equal(stats.cases, CASES);
});
