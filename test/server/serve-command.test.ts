/** `plugin-studio serve` through the built command line: the printed URL, the token, the exit. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { requirePlugin } from '../helpers/plugins.js';

const BIN = new URL('../../bin/plugin-studio.js', import.meta.url).pathname;

test('serve rejects a bad port and extra arguments with one line and exit code 2', () => {
  for (const args of [
    ['--port', 'http'],
    ['--port', '70000'],
    ['a.so', 'b.so'],
  ]) {
    const r = spawnSync(process.execPath, [BIN, 'serve', ...args, '--no-open'], { encoding: 'utf8' });
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  const missing = spawnSync(process.execPath, [BIN, 'serve', '/nonexistent/libx.so', '--no-open'], {
    encoding: 'utf8',
  });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no file at \/nonexistent\/libx\.so/);
});

test('serve prints a token URL on 127.0.0.1, refuses requests without it, and stops on SIGTERM', async (t) => {
  const plugin = await requirePlugin(t, 'example-c');
  if (!plugin) return;
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-serve-'));
  const child = spawn(process.execPath, [BIN, 'serve', plugin, '--no-open'], {
    env: { ...process.env, PLUGIN_STUDIO_DATA_DIR: data },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
        if (!m) return;
        clearTimeout(timer);
        resolve(m[0]);
      });
    });
    const bare = new URL(url);
    bare.search = '';
    assert.equal((await fetch(bare)).status, 401);
    const withToken = await fetch(url, { redirect: 'manual' });
    assert.equal(withToken.status, 303);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(data, { recursive: true, force: true });
  }
});
