/**
 * Long fuzz campaign for the Go bridge's handling of input envelopes (request and response
 * building, handler results, header order, body encodings): Go's native fuzzing of FuzzCall.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { bridgeSourceDir } from '../../src/runner/gobridge-build.js';
import { requireTool } from '../helpers/tools.js';

test('FuzzCall: arbitrary envelopes and symbols never crash the bridge', { timeout: 3_600_000 }, (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const r = spawnSync(
    'go',
    ['test', '-run', '^$', '-fuzz', 'FuzzCall', '-fuzztime', process.env.FUZZ_TIME ?? '300s', '.'],
    {
      cwd: bridgeSourceDir(),
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '', GOWORK: 'off' },
    },
  );
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});
