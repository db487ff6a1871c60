// scripts/build-examples.mjs: `npm run build:examples` builds both examples into build/examples/,
// says where, and carries the C example's libcjson next to it (found first through $ORIGIN), so
// the packaged app's default plugin runs where libcjson is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireTool } from '../helpers/tools.js';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const SCRIPT = path.join(ROOT, 'scripts', 'build-examples.mjs');

test('build:examples builds both examples into build/examples and prints where', (t) => {
  if (!requireTool(t, 'gcc', 'gcc') || !requireTool(t, 'go', 'golang-go', 'version')) return;
  const r = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    'example-c: build/examples/libexample-c.so\nexample-go: build/examples/libexample-go.so\n',
  );
  const dir = path.join(ROOT, 'build', 'examples');
  for (const f of ['libexample-c.so', 'libexample-go.so', 'libcjson.so.1'])
    assert.ok(fs.existsSync(path.join(dir, f)), f);
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary files left',
  );
});

test('the C example finds the bundled libcjson.so.1 through its $ORIGIN runpath', (t) => {
  if (!requireTool(t, 'gcc', 'gcc')) return;
  const r = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lib = path.join(ROOT, 'build', 'examples', 'libexample-c.so');
  assert.match(execFileSync('readelf', ['-d', lib], { encoding: 'utf8' }), /Library runpath: \[\$ORIGIN\]/);
  const ldd = execFileSync('ldd', [lib], { encoding: 'utf8' });
  assert.match(
    ldd,
    new RegExp(
      `libcjson\\.so\\.1 => ${path.join(ROOT, 'build', 'examples', 'libcjson.so.1').replace(/[.]/g, '\\.')}`,
    ),
  );
});

test('a missing toolchain is skipped with the reason, and fails under CI=true', (t) => {
  if (!requireTool(t, 'gcc', 'gcc')) return;
  // A PATH with gcc (and its assembler and linker) but without go.
  const bin = fs.mkdtempSync(path.join(ROOT, 'build', 'nogo-'));
  try {
    for (const tool of ['gcc', 'as', 'ld']) {
      const where = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (where) fs.symlinkSync(where, path.join(bin, tool));
    }
    const env = { ...process.env, PATH: bin, CI: '' };
    const dev = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8', env });
    assert.equal(dev.status, 0, dev.stderr);
    assert.match(dev.stdout, /^example-go: skipped, go not found \(Debian package golang-go\)$/m);
    const ci = spawnSync(process.execPath, [SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, CI: 'true' },
    });
    assert.equal(ci.status, 1);
    assert.equal(
      ci.stderr,
      'build-examples: cannot build example-go: go not found (Debian package golang-go)\n',
    );
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
