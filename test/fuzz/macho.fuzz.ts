import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { readMachO } from '../../src/binary/macho.js';
import { machoSeed, runCampaign } from '../helpers/cross-fuzz.js';
import { buildMachO, buildGoForeign } from '../helpers/cross.js';
import { requireTool } from '../helpers/tools.js';

const CASES = Number(process.env.FUZZ_CASES ?? 100_000);

test(`Mach-O reader survives ${CASES} mutated binaries`, { timeout: 30 * 60_000 }, (t) => {
  if (!requireTool(t, 'clang-14', 'clang-14') || !requireTool(t, 'ld64.lld-14', 'lld-14', '--help')) return;
  const set = buildMachO();
  const seeds = Object.entries(set).map(([name, file]) => machoSeed(name, fs.readFileSync(file)));
  // A Go-linked executable as well: another linker's layout, and a 1 MB file with a big symbol table.
  if (requireTool(t, 'go', 'golang-go', 'version')) {
    seeds.push(machoSeed('go-darwinArm64', fs.readFileSync(buildGoForeign().darwinArm64)));
  }
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  const r = runCampaign(seeds, CASES, seed, (src, opts) => readMachO(src, 'fuzz.dylib', opts));
  t.diagnostic(`seed ${seed}: ${JSON.stringify({ ...r, failures: r.failures.length })}`);
  assert.deepEqual(r.failures, []);
  assert.equal(r.cases, CASES);
  assert.ok(r.crafted > CASES / 100, 'crafted export-trie loops were exercised');
});
