// Fast subset of test/fuzz/macho.fuzz.ts (which runs 100,000 cases under `npm run test:fuzz`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { readMachO } from '../../src/binary/macho.js';
import { machoSeed, runCampaign } from '../helpers/cross-fuzz.js';
import { buildMachO } from '../helpers/cross.js';
import { requireTool } from '../helpers/tools.js';

test('Mach-O reader survives 4000 mutated binaries (FormatError only, < 1 s each)', (t) => {
  if (!requireTool(t, 'clang-14', 'clang-14') || !requireTool(t, 'ld64.lld-14', 'lld-14')) return;
  const seeds = Object.entries(buildMachO()).map(([name, file]) => machoSeed(name, fs.readFileSync(file)));
  const r = runCampaign(seeds, 4000, Number(process.env.FUZZ_SEED ?? 7), (src, opts) =>
    readMachO(src, 'fuzz.dylib', opts),
  );
  assert.deepEqual(r.failures, []);
  assert.ok(r.parsed > 0 && r.formatErrors > 0 && r.crafted > 0, JSON.stringify(r));
});
