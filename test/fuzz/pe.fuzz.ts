import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { readPe } from '../../src/binary/pe.js';
import { peSeed, runCampaign } from '../helpers/cross-fuzz.js';
import { buildPe, buildGoForeign } from '../helpers/cross.js';
import { requireTool } from '../helpers/tools.js';

const CASES = Number(process.env.FUZZ_CASES ?? 100_000);

test(`PE reader survives ${CASES} mutated binaries`, { timeout: 30 * 60_000 }, (t) => {
  if (
    !requireTool(t, 'x86_64-w64-mingw32-gcc', 'gcc-mingw-w64-x86-64') ||
    !requireTool(t, 'lld-link-14', 'lld-14', '--version')
  )
    return;
  const set = buildPe();
  const seeds = Object.entries(set).map(([name, file]) => peSeed(name, fs.readFileSync(file)));
  // A Go-linked executable as well: another linker's layout, and a 1 MB file with a big symbol table.
  if (requireTool(t, 'go', 'golang-go', 'version')) {
    seeds.push(peSeed('go-windowsAmd64', fs.readFileSync(buildGoForeign().windowsAmd64)));
  }
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  const r = runCampaign(seeds, CASES, seed, (src, opts) => readPe(src, 'fuzz.dll', opts));
  t.diagnostic(`seed ${seed}: ${JSON.stringify({ ...r, failures: r.failures.length })}`);
  assert.deepEqual(r.failures, []);
  assert.equal(r.cases, CASES);
});
