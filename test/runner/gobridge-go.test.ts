/**
 * The Go bridge's own Go tests (header order, stack parsing) and the seed corpus of its envelope
 * fuzz target, run by `go test` with the toolchain on PATH. The long campaign is gobridge.fuzz.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { bridgeSourceDir } from '../../src/runner/gobridge-build.js';
import { requireTool } from '../helpers/tools.js';

test('go test of the bridge: unit tests and the FuzzCall seed corpus', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const r = spawnSync('go', ['test', '-count=1', '.'], {
    cwd: bridgeSourceDir(),
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '', GOWORK: 'off' },
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^ok\s/m);
});
