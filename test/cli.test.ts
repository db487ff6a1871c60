import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const BIN = new URL('../bin/plugin-studio.js', import.meta.url).pathname;

test('plugin-studio --help lists the commands and exits 0', () => {
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  for (const c of ['symbols', 'info', 'call', 'bench', 'serve', 'import', 'export', 'test'])
    assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test('an unknown command is one clear line and exit code 2', () => {
  const r = spawnSync(process.execPath, [BIN, 'frobnicate'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});
