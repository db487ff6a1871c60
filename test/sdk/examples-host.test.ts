// The example plugins through the real plugin host (src/runner openPlugin), as the app and the CLI
// run them: the manifest becomes the handler list, and each handler gets the outcome a gateway
// would see. The C and the Go example must agree call for call.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput, CallResult, PluginSession } from '../../src/runner/types.js';
import { optionalPlugin, type PluginName } from '../helpers/plugins.js';

const request: CallInput['request'] = {
  method: 'POST',
  url: 'http://api.example.com/v1/orders?id=7',
  headers: [
    ['Content-Type', 'application/json'],
    ['X-Trace', 'a'],
  ],
  body: '{"qty":1}',
};

const upstream: NonNullable<CallInput['response']> = {
  status: 200,
  headers: [
    ['Server', 'nginx'],
    ['Content-Type', 'text/plain'],
  ],
  body: 'hello from upstream',
};

function call(session: PluginSession, symbol: string, extra: Partial<CallInput> = {}): Promise<CallResult> {
  const phase = session.description.handlers.find((h) => h.symbol === symbol)?.phase ?? 'request';
  return session.call({
    symbol,
    phase,
    request,
    ...(phase === 'response' ? { response: upstream } : {}),
    ...extra,
  });
}

/** What a user compares between the C and the Go example: the outcome and its visible effect. */
function effect(r: CallResult): unknown {
  return {
    outcome: r.outcome,
    url: r.request.url,
    headers: r.request.headers,
    body: r.request.body,
    response: r.response && { status: r.response.status, headers: r.response.headers, body: r.response.body },
    logs: r.logs,
  };
}

const sessions = new Map<PluginName, PluginSession>();

// Opened once for the whole file (the comparison below needs both) and closed at its end.
before(async () => {
  for (const name of ['example-c', 'example-go'] as const) {
    const lib = await optionalPlugin(name);
    if (lib) sessions.set(name, await openPlugin(lib, { timeoutMs: 10_000 }));
  }
});
after(async () => {
  for (const s of sessions.values()) await s.close();
});

for (const name of ['example-c', 'example-go'] as const) {
  describe(`${name} in the plugin host`, () => {
    test('is a Studio plugin whose handlers come from its manifest, with descriptions', (t) => {
      const s = sessions.get(name);
      if (!s) return t.skip('toolchain missing');
      assert.equal(s.description.studioAbi, true);
      assert.equal(s.description.abiVersion, 1);
      assert.equal(s.description.manifest?.name, name);
      const phases = Object.fromEntries(s.description.handlers.map((h) => [h.symbol, h.phase]));
      assert.equal(phases.AddHeader, 'request');
      assert.equal(phases.StripServer, 'response');
      for (const h of s.description.handlers) assert.ok((h.description ?? '').length > 20, h.symbol);
    });

    test('AddHeader continues with X-Example added', async (t) => {
      const s = sessions.get(name);
      if (!s) return t.skip('toolchain missing');
      const r = await call(s, 'AddHeader');
      assert.equal(r.outcome, 'continue', String(r.error));
      assert.deepEqual(r.request.headers, [...request.headers, ['X-Example', 'plugin-studio']]);
      assert.equal(r.request.body, request.body);
    });

    test('RewritePath continues with /v2/', async (t) => {
      const s = sessions.get(name);
      if (!s) return t.skip('toolchain missing');
      const r = await call(s, 'RewritePath');
      assert.equal(r.outcome, 'continue', String(r.error));
      assert.equal(r.request.url, 'http://api.example.com/v2/orders?id=7');
    });

    test('RequireToken rejects without Authorization (403) and continues with it', async (t) => {
      const s = sessions.get(name);
      if (!s) return t.skip('toolchain missing');
      const denied = await call(s, 'RequireToken');
      assert.equal(denied.outcome, 'reject', String(denied.error));
      assert.equal(denied.response?.status, 403);
      const allowed = await call(s, 'RequireToken', {
        request: { ...request, headers: [...request.headers, ['Authorization', 'Bearer t']] },
      });
      assert.equal(allowed.outcome, 'continue', String(allowed.error));
      assert.equal(allowed.response, null);
    });

    test('StripServer passes the response on without Server and with the body rewritten', async (t) => {
      const s = sessions.get(name);
      if (!s) return t.skip('toolchain missing');
      const r = await call(s, 'StripServer');
      assert.equal(r.outcome, 'continue', String(r.error));
      assert.deepEqual(r.response?.headers, [['Content-Type', 'text/plain']]);
      assert.equal(r.response?.body, 'hello from gateway');
    });
  });
}

test('the C and the Go example have the same effect, call for call', async (t) => {
  const c = sessions.get('example-c');
  const go = sessions.get('example-go');
  if (!c || !go) return t.skip('toolchain missing');
  const cases: [string, Partial<CallInput>][] = [
    ['AddHeader', {}],
    ['AddHeader', { config: { value: 'custom' } }],
    ['RewritePath', {}],
    ['RewritePath', { request: { ...request, url: 'http://h/other/v1/x' } }],
    ['RewritePath', { config: { from: '/v1/orders', to: '/orders' } }],
    ['RequireToken', {}],
    ['RequireToken', { request: { ...request, headers: [['authorization', 'x']] } }],
    ['StripServer', {}],
    ['StripServer', { config: { find: 'hello', replace: 'bye' } }],
    [
      'StripServer',
      { response: { ...upstream, headers: [['Content-Length', '19']], body: 'upstream, upstream!' } },
    ],
  ];
  for (const [symbol, extra] of cases) {
    const fromC = await call(c, symbol, extra);
    const fromGo = await call(go, symbol, extra);
    assert.ok(
      ['continue', 'reject'].includes(fromC.outcome),
      `${symbol}: ${fromC.outcome} ${String(fromC.error)}`,
    );
    assert.deepEqual(effect(fromGo), effect(fromC), `${symbol} ${JSON.stringify(extra)}`);
  }
});

test('example-go Panic is a recovered panic with frames in the plugin', async (t) => {
  const go = sessions.get('example-go');
  if (!go) return t.skip('go missing');
  const r = await call(go, 'Panic');
  assert.equal(r.outcome, 'panic');
  assert.equal(r.panic?.message, 'assignment to entry in nil map');
  assert.ok(
    r.panic?.frames.some(
      (f) => f.plugin && f.function.includes('panicNilMap') && /handlers\.go$/.test(f.file ?? ''),
    ),
    JSON.stringify(r.panic?.frames),
  );
  const next = await call(go, 'AddHeader');
  assert.equal(next.outcome, 'continue');
});
