// The Go SDK's own tests (sdk/go/sdk_test.go: envelope to *http.Request and back, Tyk's rules,
// logs, config, panics, manifest, and the fuzz target's seed corpus), run with the real Go
// toolchain, plus go vet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { requireTool } from '../helpers/tools.js';
import { go, GO_MODULES } from './go-tool.js';

test('go vet finds nothing in the SDK, the Go example and the Go crash plugin', async (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  for (const dir of GO_MODULES) {
    const r = await go(['vet', '.'], 300_000, dir);
    assert.equal(r.code, 0, `${dir}: ${r.output}`);
  }
});

test('the Go SDK unit tests pass (including the fuzz seed corpus)', async (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const r = await go(['test', '-count=1', '.']);
  assert.equal(r.code, 0, r.output);
});

test('the Go sources are gofmt-clean', async (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const r = await new Promise<string>((resolve, reject) =>
    execFile('gofmt', ['-l', ...GO_MODULES], (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  assert.equal(r.trim(), '', `not gofmt-formatted: ${r}`);
});
