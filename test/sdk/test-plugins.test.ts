// The crash-matrix plugins of test/plugins/ do what the runner's tests rely on: each failure
// happens for real (checked here in a throwaway child process), the healthy handlers next to them
// work, and the load-error libraries are broken in exactly the intended way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PLUGIN_NAMES, buildPlugin, requirePlugin } from '../helpers/plugins.js';
import { definedExports, requestEnvelope, result, runInChild, type ChildRun } from './harness.js';

async function crashRun(lib: string, symbol: string, timeoutMs = 20_000): Promise<ChildRun> {
  return runInChild(lib, [{ symbol, envelope: requestEnvelope() }], timeoutMs);
}

describe('crash-c', () => {
  test('manifest lists exactly the exported handlers', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    const run = await runInChild(lib, []);
    const manifest = JSON.parse(run.report?.manifest ?? 'null') as { handlers: { symbol: string }[] };
    const exported = (await definedExports(lib)).filter((s) => !s.startsWith('plugin_studio_'));
    assert.deepEqual(manifest.handlers.map((h) => h.symbol).sort(), exported);
  });

  test('healthy handlers: Ok, Echo, Sleep, Return64K, StdioThenReturn', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    const env = requestEnvelope({ headers: [['X-Quote', 'say "hi"\n\\']] });
    const run = await runInChild(lib, [
      { symbol: 'Ok', envelope: env },
      { symbol: 'Echo', envelope: env },
      { symbol: 'Sleep', envelope: env },
      { symbol: 'Return64K', envelope: env },
      { symbol: 'StdioThenReturn', envelope: env },
    ]);
    const [ok, echo, sleep, big, stdio] = run.report?.results ?? [];
    assert.equal(ok?.output, '{}');
    assert.deepEqual(JSON.parse(result(echo!).logs?.[0]?.message ?? ''), env);
    assert.equal(sleep?.output, '{}');
    assert.equal(Buffer.byteLength(big?.output ?? ''), 64 * 1024);
    assert.equal(
      result(big!).logs?.[0]?.message.length,
      64 * 1024 - '{"logs":[{"level":"info","message":""}]}'.length,
    );
    assert.equal(stdio?.output, '{}');
    // Unflushed stdio reaches the pipe at exit here; the host must flush it after each call.
    assert.match(run.stdout, /crash-c: hello on stdout/);
    assert.match(run.stderr, /crash-c: hello on stderr/);
  });

  const signals: [string, NodeJS.Signals][] = [
    ['Segfault', 'SIGSEGV'],
    ['Abort', 'SIGABRT'],
    ['StackOverflow', 'SIGSEGV'],
    ['StdioThenCrash', 'SIGSEGV'],
    ['WriteThenCrash', 'SIGSEGV'],
  ];
  for (const [symbol, signal] of signals) {
    test(`${symbol} dies of ${signal}`, async (t) => {
      const lib = await requirePlugin(t, 'crash-c');
      if (!lib) return;
      const run = await crashRun(lib, symbol);
      assert.equal(run.report, null);
      assert.equal(run.signal, signal, `exit ${run.exitCode}, stderr ${run.stderr}`);
      if (symbol === 'Abort') assert.match(run.stderr, /giving up with abort/);
      if (symbol === 'StdioThenCrash') assert.match(run.stderr, /stderr before the crash/);
      if (symbol === 'WriteThenCrash') {
        assert.match(run.stdout, /raw stdout before the crash/);
        assert.match(run.stderr, /raw stderr before the crash/);
      }
    });
  }

  // Checked under native-loop (a plain C process): exit() inside a Node process runs Node's own
  // exit-time teardown, which now and then dies of SIGSEGV racing Node's threads, and that is the
  // host's to report, not this plugin's behaviour.
  test('Exit3 exits with status 3', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    const loop = await requirePlugin(t, 'native-loop');
    if (!lib || !loop) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-exit-'));
    try {
      const env = path.join(dir, 'envelope.json');
      fs.writeFileSync(env, JSON.stringify(requestEnvelope()));
      const r = spawnSync(loop, [lib, 'Exit3', '1', env], { encoding: 'utf8' });
      assert.equal(r.status, 3, `signal ${r.signal}, stderr ${r.stderr}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Hang never returns', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    const run = await crashRun(lib, 'Hang', 1500);
    assert.equal(run.timedOut, true);
    assert.equal(run.report, null);
  });

  test('bad outputs: absurd length, 65 MiB, invalid JSON, invalid UTF-8, wrong shape, NULL, errors', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    // ClaimsHugeLength cannot go through the harness (it would read 2^62 bytes): the symbol is
    // checked for presence, its length is the host's to refuse.
    const run = await runInChild(lib, [
      { symbol: 'HugeOutput', envelope: requestEnvelope() },
      { symbol: 'InvalidJson', envelope: requestEnvelope() },
      { symbol: 'InvalidUtf8', envelope: requestEnvelope() },
      { symbol: 'WrongShape', envelope: requestEnvelope() },
      { symbol: 'NullOutput', envelope: requestEnvelope() },
      { symbol: 'ErrorStatus', envelope: requestEnvelope() },
      { symbol: 'ErrorNoMessage', envelope: requestEnvelope() },
    ]);
    const [huge, json, utf8, shape, nul, err, errNoMsg] = run.report?.results ?? [];
    assert.equal(huge?.status, 0);
    assert.equal(huge?.length, 65 * 1024 * 1024);
    assert.match(huge?.output ?? '', /^\{"logs":\[\{"level":"info","message":"x{100}/);
    assert.throws(() => JSON.parse(json?.output ?? ''));
    assert.equal(json?.status, 0);
    assert.equal(utf8?.status, 0);
    assert.match(utf8?.output ?? '', /\uFFFD/, 'decoding as UTF-8 had to replace bytes');
    assert.equal(
      typeof (JSON.parse(shape?.output ?? '{}') as { response: { status: unknown } }).response.status,
      'string',
    );
    assert.deepEqual(nul, { status: 0, output: null });
    assert.deepEqual(err, { status: 7, output: 'token service unreachable: connection refused' });
    assert.deepEqual(errNoMsg, { status: 1, output: null });
    assert.ok((await definedExports(lib)).includes('ClaimsHugeLength'));
  });
});

describe('crash-go', () => {
  test('Ok, PrintThenOk and PanicRecovered return results; the manifest lists every handler', async (t) => {
    const lib = await requirePlugin(t, 'crash-go');
    if (!lib) return;
    const run = await runInChild(lib, [
      { symbol: 'Ok', envelope: requestEnvelope() },
      { symbol: 'PrintThenOk', envelope: requestEnvelope() },
      { symbol: 'PanicRecovered', envelope: requestEnvelope() },
      { symbol: 'Ok', envelope: requestEnvelope() },
    ]);
    const [ok, print, panic, okAgain] = run.report?.results ?? [];
    assert.equal(ok?.output, '{}');
    assert.equal(print?.output, '{}');
    assert.equal(result(panic!).panic?.message, 'assignment to entry in nil map');
    assert.equal(okAgain?.output, '{}');
    assert.match(run.stdout, /crash-go: hello on stdout/);
    assert.match(run.stderr, /crash-go: hello on stderr/);
    const manifest = JSON.parse(run.report?.manifest ?? 'null') as { handlers: { symbol: string }[] };
    const cgo = /^(_cgo_|x_cgo_|_cgoexp_|crosscall2$|crosscall_amd64$|fatalf$|plugin_studio_)/;
    assert.deepEqual(
      manifest.handlers.map((h) => h.symbol).sort(),
      (await definedExports(lib)).filter((s) => !cgo.test(s)),
    );
  });

  // In a c-shared library the Go runtime ends a fatal panic with abort(), not exit(2) as a Go
  // program would: SIGABRT after the trace.
  const deaths: [string, RegExp, { signal?: NodeJS.Signals; exitCode?: number }][] = [
    [
      'PanicRaw',
      /^panic: assignment to entry in nil map\n\ngoroutine \d+ \[running, locked to thread\]:\nmain\.PanicRaw/m,
      { signal: 'SIGABRT' },
    ],
    [
      'PanicGoroutine',
      /^panic: panic in a goroutine while handling GET \/v1\/orders\n\ngoroutine \d+ \[running\]:/m,
      { signal: 'SIGABRT' },
    ],
    ['ConcurrentMapWrites', /^fatal error: concurrent map writes\n/m, { signal: 'SIGABRT' }],
    ['Exit2', /crash-go: exiting with status 2/, { exitCode: 2 }],
  ];
  for (const [symbol, trace, death] of deaths) {
    test(`${symbol} ends the process (${death.signal ?? `exit ${death.exitCode}`}) with its trace on stderr`, async (t) => {
      const lib = await requirePlugin(t, 'crash-go');
      if (!lib) return;
      const run = await crashRun(lib, symbol);
      assert.equal(run.report, null);
      const how = `signal ${run.signal}, exit ${run.exitCode}, stderr ${run.stderr}`;
      if (death.signal) assert.equal(run.signal, death.signal, how);
      else assert.equal(run.exitCode, death.exitCode, how);
      assert.match(run.stderr, trace);
    });
  }
});

describe('load-error libraries', () => {
  test('no-free exports the ABI version and a handler but not plugin_studio_free', async (t) => {
    const lib = await requirePlugin(t, 'no-free');
    if (!lib) return;
    assert.deepEqual(await definedExports(lib), ['Ok', 'plugin_studio_abi_version']);
  });

  test('missing-dep needs libps_vanished.so, which is nowhere to be found', async (t) => {
    const lib = await requirePlugin(t, 'missing-dep');
    if (!lib) return;
    const dynamic = execFileSync('readelf', ['-d', lib], { encoding: 'utf8' });
    assert.match(dynamic, /\(NEEDED\)\s+Shared library: \[libps_vanished\.so\]/);
    assert.match(dynamic, /\(RUNPATH\)\s+Library runpath: \[\$ORIGIN\/missing-deps\]/);
    assert.equal(fs.existsSync(path.join(path.dirname(lib), 'missing-deps')), false);
    const run = await runInChild(lib, []);
    assert.equal(run.report, null);
    assert.match(run.stderr, /libps_vanished\.so: cannot open shared object file/);
  });

  test('plain has no plugin_studio_* export', async (t) => {
    const lib = await requirePlugin(t, 'plain');
    if (!lib) return;
    assert.deepEqual(await definedExports(lib), ['plain_add', 'plain_untouched']);
  });
});

describe('buildPlugin', () => {
  test('knows every name, caches by content, and survives concurrent builds', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    assert.deepEqual([...PLUGIN_NAMES].sort(), [
      'crash-c',
      'crash-go',
      'example-c',
      'example-go',
      'missing-dep',
      'native-loop',
      'no-free',
      'plain',
    ]);
    const mtime = fs.statSync(lib).mtimeMs;
    assert.equal(await buildPlugin('crash-c'), lib);
    assert.equal(fs.statSync(lib).mtimeMs, mtime, 'a cached build is not rebuilt');
    // Two processes building the same new recipe at once: both get a complete library.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-build-'));
    try {
      const script = `
        import { buildRecipe } from ${JSON.stringify(new URL('../../scripts/build-examples.mjs', import.meta.url).href)};
        const p = await buildRecipe({ name: 'race', kind: 'c-shared', dir: 'test/plugins/c', sources: ['crash.c'], file: 'librace.so' }, ${JSON.stringify(dir)});
        console.log(p);`;
      const runs = await Promise.all(
        [1, 2, 3].map(
          () =>
            new Promise<string>((resolve, reject) => {
              execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout) =>
                err ? reject(err) : resolve(stdout.trim()),
              );
            }),
        ),
      );
      assert.equal(new Set(runs).size, 1);
      const built = runs[0] as string;
      assert.ok((await definedExports(built)).includes('Segfault'));
      assert.deepEqual(fs.readdirSync(path.dirname(built)), ['librace.so'], 'no temporary files left');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('native-loop calls a handler N times and reports the rate', async (t) => {
  const loop = await requirePlugin(t, 'native-loop');
  const lib = await requirePlugin(t, 'example-c');
  if (!loop || !lib) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-loop-'));
  try {
    const env = path.join(dir, 'envelope.json');
    fs.writeFileSync(env, JSON.stringify(requestEnvelope()));
    const out = execFileSync(loop, [lib, 'AddHeader', '2000', env, '--json'], { encoding: 'utf8' });
    const r = JSON.parse(out) as {
      calls: number;
      callsPerSecond: number;
      usPerCall: number;
      outputBytes: number;
    };
    assert.equal(r.calls, 2000);
    assert.ok(r.callsPerSecond > 0 && r.usPerCall > 0);
    assert.ok(r.outputBytes > 100);
    assert.throws(
      () => execFileSync(loop, [lib, 'StripServer', '10', env], { stdio: 'pipe' }),
      /failed or returned no output/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
