// Fast subset of test/fuzz/pe.fuzz.ts (which runs 100,000 cases under `npm run test:fuzz`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { readPe } from '../../src/binary/pe.js';
import { peSeed, runCampaign } from '../helpers/cross-fuzz.js';
import { buildPe } from '../helpers/cross.js';
import { requireTool } from '../helpers/tools.js';

test('PE reader survives 4000 mutated binaries (FormatError only, < 1 s each)', (t) => {
  if (!requireTool(t, 'x86_64-w64-mingw32-gcc', 'gcc-mingw-w64-x86-64')) return;
  if (!requireTool(t, 'lld-link-14', 'lld-14')) return;
  const seeds = Object.entries(buildPe()).map(([name, file]) => peSeed(name, fs.readFileSync(file)));
  const r = runCampaign(seeds, 4000, Number(process.env.FUZZ_SEED ?? 7), (src, opts) =>
    readPe(src, 'fuzz.dll', opts),
  );
  assert.deepEqual(r.failures, []);
  assert.ok(r.parsed > 0 && r.formatErrors > 0, JSON.stringify(r));
});
