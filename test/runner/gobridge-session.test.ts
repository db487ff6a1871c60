/**
 * Go plugins through the engine's API (openPlugin): the same supervisor, outcomes, output capture
 * and crash recovery as native plugins, with the Go bridge as the host process.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { GoHostOptions } from '../../src/runner/gobridge.js';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput, HttpRequestShape, PluginSession } from '../../src/runner/types.js';
import { hasTool } from '../helpers/tools.js';
import { buildGoTykPlugin, outDir } from '../plugins/go-tyk/build.js';

const haveGo = hasTool('go', 'version');
if (!haveGo && process.env.CI === 'true')
  throw new Error('go not found (Debian package golang-go): CI must install it (.ci/run)');
const skip = haveGo ? false : 'go not found (Debian package golang-go)';

const cache = path.join(outDir, `session-cache-${process.pid}`);
let session: PluginSession;
const progress: string[] = [];

const request: HttpRequestShape = {
  method: 'GET',
  url: 'http://api.example.com/items?name=bo',
  proto: 'HTTP/1.1',
  remote_addr: '10.0.0.1:4000',
  headers: [['Accept', 'application/json']],
  body: '',
};
const call = (symbol: string, extra: Partial<CallInput> = {}): CallInput => ({
  symbol,
  phase: 'request',
  request,
  ...extra,
});

before(async () => {
  if (!haveGo) return;
  process.env.PLUGIN_STUDIO_CACHE = cache;
  session = await openPlugin(buildGoTykPlugin('plain'), {
    onProgress: (m) => progress.push(m),
    timeoutMs: 5000,
  });
});
after(async () => {
  await session?.close();
  fs.rmSync(cache, { recursive: true, force: true });
});

test('openPlugin runs a Go plugin in the bridge and describes its handlers', { skip }, () => {
  assert.equal(session.description.kind, 'go-plugin');
  const add = session.description.handlers.find((h) => h.symbol === 'AddHeader');
  assert.deepEqual(add, {
    symbol: 'AddHeader',
    phase: 'request',
    goType: 'func(http.ResponseWriter, *http.Request)',
  });
  assert.ok(session.description.handlers.some((h) => h.symbol === 'StripServer' && h.phase === 'response'));
  assert.match(progress.join('\n'), /Go bridge/);
});

test('every request outcome through the engine', { skip }, async () => {
  const add = await session.call(call('AddHeader'));
  assert.equal(add.outcome, 'continue');
  assert.deepEqual(add.request.headers, [
    ['Accept', 'application/json'],
    ['X-Studio', 'added'],
  ]);
  const url = await session.call(call('RewriteURL'));
  assert.equal(url.request.url, 'http://api.example.com/v2/items?name=bo&rewritten=1');
  const reject = await session.call(call('RejectJSON'));
  assert.equal(reject.outcome, 'reject');
  assert.equal(reject.response?.status, 403);
  assert.equal(reject.response?.body, '{"error":"forbidden"}');
  const ok = await session.call(call('Answer200'));
  assert.equal(ok.outcome, 'respond');
  assert.equal(ok.response?.body, 'hello bo');
  const teapot = await session.call(call('Teapot'));
  assert.equal(teapot.outcome, 'reject');
  assert.equal(teapot.response?.status, 418);
  const body = await session.call(
    call('UpperBody', { request: { ...request, method: 'POST', body: 'abc' } }),
  );
  assert.equal(body.request.body, 'ABC');
  const panic = await session.call(call('Panic'));
  assert.equal(panic.outcome, 'panic');
  assert.equal(panic.panic?.message, 'assignment to entry in nil map');
  assert.equal(panic.panic?.frames[0]?.function, 'example.com/tyk-test-plugin.Panic');
  const printed = await session.call(call('Print'));
  assert.equal(printed.stdout, 'stdout from GET /items\n');
  assert.equal(printed.stderr, 'stderr from plugin\n');
  const counter = await session.call(call('Counter'));
  assert.equal(counter.outcome, 'error');
  assert.match(counter.error ?? '', /Counter has type \*int, which is not a handler/);
});

test('response handlers through the engine', { skip }, async () => {
  const upstream = { status: 200, headers: [['Server', 'nginx'] as [string, string]], body: 'a secret' };
  const strip = await session.call(call('StripServer', { phase: 'response', response: upstream }));
  assert.equal(strip.outcome, 'continue');
  assert.deepEqual(strip.response?.headers, [['X-Processed', 'studio']]);
  const body = await session.call(call('RewriteResponseBody', { phase: 'response', response: upstream }));
  assert.equal(body.response?.body, 'a ******');
  const fail = await session.call(call('FailUpstream', { phase: 'response', response: upstream }));
  assert.equal(fail.outcome, 'reject');
  assert.equal(fail.response?.status, 502);
});

test(
  'a goroutine panic, concurrent map writes and os.Exit are crashes; the next call works',
  { skip },
  async () => {
    const goroutine = await session.call(call('GoroutinePanic'));
    assert.equal(goroutine.outcome, 'crash');
    assert.equal(goroutine.crash?.trace, 'go-panic');
    assert.equal(goroutine.crash?.traceMessage, 'boom in a goroutine');
    assert.equal(goroutine.crash?.frames[0]?.function, 'example.com/tyk-test-plugin.GoroutinePanic.func1');
    assert.equal(goroutine.crash?.frames[0]?.plugin, true);
    assert.equal((await session.call(call('AddHeader'))).outcome, 'continue');

    const race = await session.call(call('MapRace'));
    assert.equal(race.outcome, 'crash');
    assert.equal(race.crash?.trace, 'go-fatal');
    // Two goroutines may both detect the race and both print the fatal error.
    assert.match(race.crash?.traceMessage ?? '', /^concurrent map writes/);
    assert.ok(
      race.crash?.frames.some(
        (f) => f.plugin && f.function.startsWith('example.com/tyk-test-plugin.MapRace'),
      ),
    );
    assert.equal((await session.call(call('AddHeader'))).outcome, 'continue');

    const exit = await session.call(call('Exit'));
    assert.equal(exit.outcome, 'crash');
    assert.equal(exit.crash?.exitCode, 3);
    assert.equal((await session.call(call('RejectJSON'))).outcome, 'reject');
  },
);

test('bench through the engine checks every result', { skip }, async () => {
  const b = await session.bench(call('AddHeader'), 3000);
  assert.equal(b.calls, 3000);
  assert.deepEqual(b.outcomes, { continue: 3000 });
  assert.equal(b.sample?.outcome, 'continue');
});

test('a plugin built with -race against a pinned bridge is refused before loading', { skip }, async () => {
  // openPlugin passes its options to prepareGoHost; bridgeFlags is the Go host's own option.
  const pinned: GoHostOptions = { bridgeFlags: { race: false } };
  await assert.rejects(
    openPlugin(buildGoTykPlugin('race'), pinned),
    /Cannot load this Go plugin: plugin built with go1\.[\d.]+ and -race/,
  );
});

test("openPlugin with a gateway version loads Tyk's versioned file and says which", { skip }, async () => {
  const dir = path.join(outDir, `tyk-session-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  fs.copyFileSync(buildGoTykPlugin('plain'), path.join(dir, `auth_v5.3.0_${process.platform}_${arch}.so`));
  const seen: string[] = [];
  const s = await openPlugin(path.join(dir, 'auth.so'), {
    gatewayVersion: 'v5.3.0',
    onProgress: (m) => seen.push(m),
  });
  try {
    assert.match(seen.join('\n'), /Loading auth_v5\.3\.0_\w+_\w+\.so: auth\.so does not exist/);
    assert.equal((await s.call(call('RejectJSON'))).outcome, 'reject');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'output stays with its call over many calls alternating noisy and quiet handlers',
  { skip },
  async () => {
    for (let i = 0; i < 300; i++) {
      const noisy = i % 3 === 0;
      const r = await session.call(call(noisy ? 'Print' : 'AddHeader'));
      assert.equal(r.stdout, noisy ? 'stdout from GET /items\n' : '', `call ${i}`);
      assert.equal(r.stderr, noisy ? 'stderr from plugin\n' : '', `call ${i}`);
    }
  },
);
