/**
 * The Go bridge with a real Tyk-style plugin built by Debian's Go: built on demand and cached,
 * spoken to over the Node IPC channel exactly as the supervisor does. Every hook kind and Tyk
 * outcome rule, recovered panics with frames, per-call output, crashes that end the process,
 * Go's own load errors translated, and the symbol types.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { prepareGoHost, goSymbolTypes } from '../../src/runner/gobridge.js';
import type { ReadyMessage, ResultMessage, BenchResultMessage } from '../../src/runner/protocol.js';
import type { HostLaunch } from '../../src/runner/types.js';
import { hasTool } from '../helpers/tools.js';
import { buildGoModule, buildGoTykPlugin, outDir } from '../plugins/go-tyk/build.js';
import { BridgeClient, requestEnvelope, responseEnvelope } from './gobridge-client.js';

const haveGo = hasTool('go', 'version');
if (!haveGo && process.env.CI === 'true')
  throw new Error('go not found (Debian package golang-go): CI must install it (.ci/run)');
const skip = haveGo ? false : 'go not found (Debian package golang-go)';

const cache = path.join(outDir, `bridge-cache-${process.pid}`);
let plugin = '';
let launch: HostLaunch;
const progress: string[] = [];

before(async () => {
  if (!haveGo) return;
  process.env.PLUGIN_STUDIO_CACHE = cache;
  fs.rmSync(cache, { recursive: true, force: true });
  plugin = buildGoTykPlugin('plain');
  launch = await prepareGoHost(plugin, { onProgress: (m) => progress.push(m) });
});

after(() => fs.rmSync(cache, { recursive: true, force: true }));

test('the bridge is built on first use with progress, then reused from the cache', { skip }, async () => {
  assert.match(progress.join('\n'), /Building the Go bridge with go1\.\d+/);
  assert.match(progress.join('\n'), /Built the Go bridge in [\d.]+ s/);
  assert.ok(fs.existsSync(launch.command));
  assert.ok(launch.command.startsWith(path.join(cache, 'go-bridge')));
  const again: string[] = [];
  const second = await prepareGoHost(plugin, { onProgress: (m) => again.push(m) });
  assert.equal(second.command, launch.command);
  assert.match(again.join('\n'), /Using the cached Go bridge/);
  assert.doesNotMatch(again.join('\n'), /Building/);
});

async function opened(): Promise<BridgeClient> {
  const c = new BridgeClient(launch);
  const ready = (await c.open(plugin)) as ReadyMessage;
  assert.equal(ready.t, 'ready', JSON.stringify(ready));
  return c;
}

test('ready lists every export with its Go type and role', { skip }, async () => {
  const c = new BridgeClient(launch);
  const ready = (await c.open(plugin)) as ReadyMessage;
  await c.close();
  assert.equal(ready.kind, 'go-plugin');
  const types = Object.fromEntries((ready.goSymbols ?? []).map((s) => [s.name, [s.goType, s.role]]));
  assert.deepEqual(types.AddHeader, ['func(http.ResponseWriter, *http.Request)', 'request']);
  assert.deepEqual(types.StripServer, [
    'func(http.ResponseWriter, *http.Response, *http.Request)',
    'response',
  ]);
  assert.deepEqual(types.Counter, ['*int', 'other']);
  assert.deepEqual(types.Version, ['*string', 'other']);
  assert.deepEqual(types.Double, ['func(int) int', 'other']);
  const handlers = ready.handlers.map((h) => `${h.symbol}:${h.phase}`);
  assert.ok(handlers.includes('AddHeader:request'));
  assert.ok(handlers.includes('RewriteResponseBody:response'));
  assert.ok(!handlers.some((h) => h.startsWith('Counter')));
});

test('request hooks: continue, respond and reject by Tyk rules', { skip }, async () => {
  const c = await opened();
  try {
    const add = (await c.call('AddHeader', 'request', requestEnvelope())).result;
    assert.equal(add.outcome, 'continue');
    assert.deepEqual(add.result?.request?.headers, [
      ['Content-Type', 'application/json'],
      ['X-Trace', 'a'],
      ['X-Trace', 'b'],
      ['X-Studio', 'added'],
    ]);
    assert.equal(add.result?.response, undefined);

    const url = (await c.call('RewriteURL', 'request', requestEnvelope())).result;
    assert.equal(url.outcome, 'continue');
    assert.equal(url.result?.request?.url, 'http://api.example.com/v2/orders?id=7&rewritten=1');

    const reject = (await c.call('RejectJSON', 'request', requestEnvelope())).result;
    assert.equal(reject.outcome, 'reject');
    assert.deepEqual(reject.result?.response, {
      status: 403,
      headers: [['Content-Type', 'application/json']],
      body: '{"error":"forbidden"}',
      body_encoding: 'utf8',
    });

    const ok = (
      await c.call('Answer200', 'request', requestEnvelope({}, { url: 'http://api.example.com/hi?name=ann' }))
    ).result;
    assert.equal(ok.outcome, 'respond');
    assert.equal(ok.result?.response?.status, 200);
    assert.equal(ok.result?.response?.body, 'hello ann');

    const teapot = (await c.call('Teapot', 'request', requestEnvelope())).result;
    assert.equal(teapot.outcome, 'reject');
    assert.equal(teapot.result?.response?.status, 418);

    const noop = (await c.call('Print', 'request', requestEnvelope())).result;
    assert.equal(noop.outcome, 'continue');
    assert.equal(noop.result?.request, undefined, 'an unchanged request is left out');
  } finally {
    await c.close();
  }
});

test('request bodies: read and rewrite, read and leave, binary bodies', { skip }, async () => {
  const c = await opened();
  try {
    const up = (await c.call('UpperBody', 'request', requestEnvelope())).result;
    assert.equal(up.outcome, 'continue');
    assert.equal(up.result?.request?.body, '{"QTY":1}');
    const peek = (await c.call('PeekBody', 'request', requestEnvelope())).result;
    assert.equal(
      peek.result?.request?.body,
      '{"qty":1}',
      'a body read and not replaced is forwarded as it was',
    );
    assert.ok(peek.result?.request?.headers.some(([k, v]) => k === 'X-Body-Length' && v === '9'));
    const bin = Buffer.from([0xff, 0x00, 0x61]).toString('base64');
    const binary = (
      await c.call('PeekBody', 'request', requestEnvelope({}, { body: bin, body_encoding: 'base64' }))
    ).result;
    assert.equal(binary.result?.request?.body_encoding, 'base64');
    assert.equal(binary.result?.request?.body, bin);
    assert.ok(binary.result?.request?.headers.some(([k, v]) => k === 'X-Body-Length' && v === '3'));
  } finally {
    await c.close();
  }
});

test('the handler sees method, remote address, proto, host and repeated headers', { skip }, async () => {
  const c = await opened();
  try {
    const env = requestEnvelope(
      {},
      {
        headers: [
          ['Host', 'front.example.com'],
          ['X-Trace', 'a'],
          ['x-trace', 'b'],
        ],
      },
    );
    const r = (await c.call('EchoInfo', 'request', env)).result;
    const h = Object.fromEntries(r.result?.response?.headers ?? []);
    assert.equal(h['X-Method'], 'POST');
    assert.equal(h['X-Remote'], '127.0.0.1:51000');
    assert.equal(h['X-Proto'], 'HTTP/1.1');
    assert.equal(h['X-Host'], 'front.example.com');
    assert.equal(h['X-Trace'], 'a,b');
  } finally {
    await c.close();
  }
});

test('response hooks change headers, body and status', { skip }, async () => {
  const c = await opened();
  try {
    const strip = (await c.call('StripServer', 'response', responseEnvelope())).result;
    assert.equal(strip.outcome, 'continue');
    assert.deepEqual(strip.result?.response?.headers, [
      ['Content-Type', 'text/plain'],
      ['X-Processed', 'studio'],
    ]);
    const body = (await c.call('RewriteResponseBody', 'response', responseEnvelope())).result;
    assert.equal(body.result?.response?.body, 'the ****** is out');
    const fail = (await c.call('FailUpstream', 'response', responseEnvelope())).result;
    assert.equal(fail.outcome, 'reject');
    assert.equal(fail.result?.response?.status, 502);
    const noop = (await c.call('NoopResponse', 'response', responseEnvelope())).result;
    assert.equal(noop.outcome, 'continue');
    assert.equal(noop.result?.response, undefined);
  } finally {
    await c.close();
  }
});

test('a panic is recovered: message, stack and frames with the plugin line marked', { skip }, async () => {
  const c = await opened();
  try {
    const r = (await c.call('Panic', 'request', requestEnvelope())).result;
    assert.equal(r.outcome, 'panic');
    assert.equal(r.panic?.message, 'assignment to entry in nil map');
    assert.match(r.panic?.stack ?? '', /goroutine \d+ \[running\]/);
    const first = r.panic?.frames[0];
    assert.equal(first?.function, 'example.com/tyk-test-plugin.Panic');
    assert.equal(first?.plugin, true);
    assert.match(first?.file ?? '', /go-tyk\/request\.go$/);
    assert.equal(typeof first?.line, 'number');
    assert.ok(
      r.panic?.frames.slice(1).every((f) => !f.plugin),
      'the bridge and runtime frames are not the plugin',
    );
    // The process survived: the next call works.
    assert.equal((await c.call('AddHeader', 'request', requestEnvelope())).result.outcome, 'continue');
  } finally {
    await c.close();
  }
});

test('output is captured per call, C stdio flushed, split at the end markers', { skip }, async () => {
  const c = await opened();
  try {
    const r = await c.call('Print', 'request', requestEnvelope());
    assert.equal(r.stdout, 'stdout from POST /orders\n');
    assert.equal(r.stderr, 'stderr from plugin\n');
    const quiet = await c.call('AddHeader', 'request', requestEnvelope());
    assert.equal(quiet.stdout, '');
    assert.equal(quiet.stderr, '');
  } finally {
    await c.close();
  }
});

test(
  'symbols that are no handler, unknown symbols, wrong phase and bad input are clear errors',
  { skip },
  async () => {
    const c = await opened();
    try {
      const counter = (await c.call('Counter', 'request', requestEnvelope())).result;
      assert.equal(counter.outcome, 'error');
      assert.match(counter.error ?? '', /^Counter has type \*int, which is not a handler/);
      const double = (await c.call('example.com/tyk-test-plugin.Double', 'request', requestEnvelope()))
        .result;
      assert.match(double.error ?? '', /Double has type func\(int\) int/);
      const missing = (await c.call('Nope', 'request', requestEnvelope())).result;
      assert.match(missing.error ?? '', /no Go symbol named Nope/);
      const phase = (await c.call('StripServer', 'request', requestEnvelope())).result;
      assert.match(phase.error ?? '', /StripServer is a response handler .* call it with phase response/);
      const relative = (await c.call('AddHeader', 'request', requestEnvelope({}, { url: '/relative' })))
        .result;
      assert.match(relative.error ?? '', /must be absolute/);
    } finally {
      await c.close();
    }
  },
);

test('bench runs the loop in the bridge and checks every result', { skip }, async () => {
  const c = await opened();
  try {
    const b = (await c.bench('RejectJSON', 'request', requestEnvelope(), 2000)) as BenchResultMessage;
    assert.equal(b.t, 'bench_result');
    assert.equal(b.bench.calls, 2000);
    assert.deepEqual(b.bench.outcomes, { reject: 2000 });
    assert.ok(b.bench.callsPerSecond > 0);
    assert.ok(b.bench.p50Us <= b.bench.p99Us && b.bench.p99Us <= b.bench.maxUs);
    assert.equal(b.sample?.outcome, 'reject');
  } finally {
    await c.close();
  }
});

for (const [symbol, pattern] of [
  [
    'GoroutinePanic',
    /panic: boom in a goroutine\n\ngoroutine \d+ \[running\]:\nexample\.com\/tyk-test-plugin\.GoroutinePanic\.func1/,
  ],
  ['MapRace', /fatal error: concurrent map writes/],
  ['Exit', null],
] as const) {
  test(`${symbol} ends the bridge process with its trace on stderr`, { skip }, async () => {
    const c = await opened();
    const exit = await c.callToDeath(symbol, requestEnvelope());
    if (pattern) {
      assert.equal(exit.code, 2);
      assert.match(exit.stderr, pattern);
    } else {
      assert.equal(exit.code, 3);
    }
  });
}

test("Go's own load errors are translated: different package version, not a plugin", { skip }, async () => {
  const race = buildGoTykPlugin('race');
  // Without --plugin, the bridge loads the file named in the open message.
  const bare = { command: launch.command, args: [] };
  const c = new BridgeClient(bare);
  const m = await c.open(race);
  await c.close();
  assert.equal(m.t, 'open_error');
  assert.match(
    (m as { message: string }).message,
    /^The plugin was built with a different version of package runtime than the Go bridge: .*same Go release with the same flags/,
  );
  assert.match(
    (m as { detail?: string }).detail ?? '',
    /plugin was built with a different version of package/,
  );

  const cshared = buildGoModule(
    'cshared',
    {
      'go.mod': 'module example.com/studio-cshared\n\ngo 1.18\n',
      'main.go':
        'package main\n\nimport "C"\n\n//export Hello\nfunc Hello() C.int { return 1 }\n\nfunc main() {}\n',
    },
    ['-buildmode=c-shared', '.'],
    'cshared-plain.so',
  );
  const d = new BridgeClient(bare);
  const n = await d.open(cshared);
  await d.close();
  assert.equal(n.t, 'open_error');
  assert.match(
    (n as { message: string }).message,
    /is not a Go plugin: the Go bridge loads only files built with `go build -buildmode=plugin`/,
  );
});

test(
  'a plugin built with flags the bridge lacks is explained before any load attempt',
  { skip },
  async () => {
    const seen: string[] = [];
    await assert.rejects(
      prepareGoHost(buildGoTykPlugin('race'), {
        bridgeFlags: { race: false },
        onProgress: (m) => seen.push(m),
      }),
      (err: Error) => {
        assert.equal(err.name, 'PluginOpenError');
        assert.match(
          err.message,
          /^Cannot load this Go plugin: plugin built with go1\.[\d.]+ and -race; your toolchain is go1\.[\d.]+ and the bridge is built without flags: rebuild the plugin without -race/,
        );
        return true;
      },
    );
    await assert.rejects(
      prepareGoHost(buildGoTykPlugin('trimpath'), { bridgeFlags: { trimpath: false } }),
      /plugin built with go1\.[\d.]+ and -trimpath; .*rebuild the plugin without -trimpath/,
    );
    await assert.rejects(
      prepareGoHost(plugin, { bridgeFlags: { trimpath: true } }),
      /plugin built with go1\.[\d.]+; your toolchain is go1\.[\d.]+ and the bridge is built with -trimpath: rebuild the plugin with -trimpath/,
    );
    assert.deepEqual(seen, [], 'nothing was built or loaded');
  },
);

test(
  "by default the bridge is built with the plugin's own flags (-trimpath) and loads it",
  { skip },
  async () => {
    const trimmed = buildGoTykPlugin('trimpath');
    const l = await prepareGoHost(trimmed);
    assert.notEqual(l.command, launch.command);
    assert.match(l.command, /-trimpath-/);
    const c = new BridgeClient(l);
    try {
      const ready = await c.open(trimmed);
      assert.equal(ready.t, 'ready');
      const r = (await c.call('Panic', 'request', requestEnvelope())).result as ResultMessage;
      assert.equal(r.outcome, 'panic');
      assert.equal(r.panic?.frames[0]?.plugin, true);
      assert.equal(r.panic?.frames[0]?.file, 'example.com/tyk-test-plugin/request.go');
    } finally {
      await c.close();
    }
  },
);

test('goSymbolTypes: Go types by bare and full name', { skip }, async () => {
  const types = await goSymbolTypes(plugin);
  assert.deepEqual(types.get('AddHeader'), {
    goType: 'func(http.ResponseWriter, *http.Request)',
    role: 'request',
  });
  assert.deepEqual(types.get('example.com/tyk-test-plugin.StripServer'), {
    goType: 'func(http.ResponseWriter, *http.Response, *http.Request)',
    role: 'response',
  });
  assert.deepEqual(types.get('example.com/tyk-test-plugin.Counter'), { goType: '*int', role: 'other' });
});

test("Tyk's file naming: the versioned file is chosen and the choice reported", { skip }, async () => {
  const dir = path.join(outDir, `tyk-naming-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const versioned = path.join(dir, `auth_v5.3.0_${process.platform}_${arch}.so`);
  fs.copyFileSync(plugin, versioned);
  const seen: string[] = [];
  const l = await prepareGoHost(path.join(dir, 'auth.so'), {
    gatewayVersion: '5.3.0-rc2',
    onProgress: (m) => seen.push(m),
  });
  assert.deepEqual(l.args, [`--plugin=${versioned}`]);
  assert.match(seen[0] ?? '', /^Loading auth_v5\.3\.0_linux_amd64\.so: auth\.so does not exist/);
  await assert.rejects(
    prepareGoHost(path.join(dir, 'other.so'), { gatewayVersion: 'v5.3.0' }),
    /No plugin file for Tyk v5\.3\.0: tried other\.so, then other_v5\.3\.0_linux_amd64\.so/,
  );
  const c = new BridgeClient(l);
  try {
    assert.equal((await c.open(path.join(dir, 'auth.so'))).t, 'ready', 'the bridge loads the resolved file');
  } finally {
    await c.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a -race plugin gets a bridge built with -race, and runs', { skip }, async () => {
  const race = buildGoTykPlugin('race');
  const l = await prepareGoHost(race);
  assert.match(l.command, /-race-/);
  const c = new BridgeClient(l);
  try {
    assert.equal((await c.open(race)).t, 'ready');
    const r = (await c.call('AddHeader', 'request', requestEnvelope())).result;
    assert.equal(r.outcome, 'continue');
  } finally {
    await c.close();
  }
});
