// `plugin-studio call` and `plugin-studio bench` as a user runs them (the compiled CLI in dist/,
// built by `npm test` before the tests): flags, --json fields, human output and exit codes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requirePlugin } from '../helpers/plugins.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const BIN = path.join(ROOT, 'bin', 'plugin-studio.js');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonResult {
  outcome: string;
  request: { url: string; headers: [string, string][]; body: string; body_encoding?: string };
  response: { status: number; headers: [string, string][]; body: string } | null;
  logs: { level: string; message: string }[];
  stdout: string;
  stderr: string;
  panic: unknown;
  crash: { signal: string | null } | null;
  durationMs: number;
}

describe('plugin-studio call', () => {
  test('--json: a request handler adds a header; the fields of the issue are all there', async (t) => {
    const lib = await requirePlugin(t, 'example-c');
    if (!lib) return;
    const r = cli(
      'call',
      lib,
      'AddHeader',
      '--url',
      'http://api.example.com/v1/orders?id=7',
      '-H',
      'X-Trace: a',
      '-H',
      'X-Trace: b',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as JsonResult;
    for (const k of [
      'outcome',
      'request',
      'response',
      'logs',
      'stdout',
      'stderr',
      'panic',
      'crash',
      'durationMs',
    ])
      assert.ok(k in j, k);
    assert.equal(j.outcome, 'continue');
    assert.deepEqual(j.request.headers.slice(0, 2), [
      ['X-Trace', 'a'],
      ['X-Trace', 'b'],
    ]);
    assert.ok(j.request.headers.some(([n]) => n === 'X-Example'));
  });

  test('human output: a rejection shows the response; exit code 0', async (t) => {
    const lib = await requirePlugin(t, 'example-c');
    if (!lib) return;
    const r = cli('call', lib, 'RequireToken');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^reject: the handler rejected the request \(status 403\)/);
    assert.match(r.stdout, /response: 403/);
  });

  test('response phase from the manifest, upstream flags', async (t) => {
    const lib = await requirePlugin(t, 'example-c');
    if (!lib) return;
    const r = cli(
      'call',
      lib,
      'StripServer',
      '--upstream-status',
      '200',
      '--upstream-header',
      'Server: nginx',
      '--upstream-header',
      'X-A: 1',
      '--upstream-body',
      'from upstream',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as JsonResult;
    assert.equal(j.outcome, 'continue');
    assert.deepEqual(j.response?.headers, [['X-A', '1']]);
    assert.equal(j.response?.body, 'from gateway');
    const human = cli(
      'call',
      lib,
      'StripServer',
      '--upstream-header',
      'Server: nginx',
      '--upstream-body',
      'upstream',
    );
    assert.match(human.stdout, /response changes:\n {2}- Server: nginx\n {2}body: "upstream" -> "gateway"/);
  });

  test('--data-binary @FILE with bytes that are not UTF-8 travel as base64', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    const file = path.join(ROOT, 'build', 'test-runner', 'body.bin');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]));
    const r = cli('call', lib, 'Echo', '--data-binary', `@${file}`, '--config', '{"k":1}', '--json');
    assert.equal(r.code, 0, r.stderr);
    const env = JSON.parse((JSON.parse(r.stdout) as JsonResult).logs[0]?.message ?? '{}') as {
      request: { method: string; body: string; body_encoding: string };
      config: unknown;
    };
    assert.equal(env.request.method, 'POST');
    assert.equal(env.request.body_encoding, 'base64');
    assert.equal(Buffer.from(env.request.body, 'base64').toString('hex'), '89504e47ff');
    assert.deepEqual(env.config, { k: 1 });
  });

  test('a crash: non-zero exit, the signal in words, the output before it', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    const r = cli('call', lib, 'WriteThenCrash');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /SIGSEGV \(segmentation fault/);
    assert.match(r.stdout, /raw stdout before the crash/);
    const timeout = cli('call', lib, 'Hang', '--timeout', '300', '--json');
    assert.equal(timeout.code, 1);
    assert.equal((JSON.parse(timeout.stdout) as JsonResult).outcome, 'timeout');
  });

  test('usage errors exit 2, a plugin that cannot be opened exits 3, each with one line', () => {
    const missing = cli('call', '/nonexistent/libx.so', 'X');
    assert.equal(missing.code, 3);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /There is no file at/);
    for (const args of [
      ['call'],
      ['call', 'lib.so', 'X', '--phase', 'sideways'],
      ['call', 'lib.so', 'X', '--config', '{bad'],
      ['call', 'lib.so', 'X', '--url', 'relative/path'],
      ['bench', 'lib.so', 'X', '-n', 'many'],
    ]) {
      const r = cli(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

describe('plugin-studio bench', () => {
  test('--json has calls, rate and percentiles; every call was checked', async (t) => {
    const lib = await requirePlugin(t, 'example-c');
    if (!lib) return;
    const r = cli('bench', lib, 'AddHeader', '-n', '5000', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { outcomes: Record<string, number> };
    assert.equal(j.calls, 5000);
    for (const k of ['callsPerSecond', 'p50Us', 'p90Us', 'p99Us', 'maxUs']) assert.ok(Number(j[k]) > 0, k);
    assert.ok(
      Number(j.p50Us) <= Number(j.p90Us) &&
        Number(j.p90Us) <= Number(j.p99Us) &&
        Number(j.p99Us) <= Number(j.maxUs),
    );
    assert.deepEqual(j.outcomes, { continue: 5000 });
  });

  test('failing results are counted and make the exit code non-zero', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    const r = cli('bench', lib, 'InvalidJson', '-n', '100');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /outcomes: abi_error 100/);
    assert.match(r.stdout, /not JSON/);
    const crash = cli('bench', lib, 'Segfault', '-n', '100', '--json');
    assert.equal(crash.code, 1);
    assert.deepEqual((JSON.parse(crash.stdout) as { outcomes: unknown }).outcomes, { crash: 1 });
  });
});
