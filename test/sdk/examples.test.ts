// The example plugins (examples/c with cJSON, examples/go-cshared with the Go SDK): built from
// source, the exact exports, a manifest of ABI.md's shape, and the same behaviour from both.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { requirePlugin, type PluginName } from '../helpers/plugins.js';
import {
  callAll,
  callOne,
  definedExports,
  requestEnvelope,
  runInChild,
  responseEnvelope,
  result,
  type HandlerReturn,
} from './harness.js';
import { checkFuzzResults, mutatedCalls } from './mutate.js';

const ABI_EXPORTS = ['plugin_studio_abi_version', 'plugin_studio_free', 'plugin_studio_manifest'];
const HANDLERS = {
  AddHeader: 'request',
  RewritePath: 'request',
  RequireToken: 'request',
  StripServer: 'response',
} as const;

// What cgo itself exports from every c-shared library; not the plugin's doing.
const CGO_RUNTIME = /^(_cgo_|x_cgo_|crosscall2$|crosscall_amd64$|fatalf$|_cgoexp_)/;

interface Manifest {
  abi: number;
  name?: string;
  version?: string;
  handlers: { symbol: string; phase: string; description?: string }[];
}

function checkManifest(text: string | null): Manifest {
  assert.ok(text, 'plugin_studio_manifest returned NULL');
  const m = JSON.parse(text) as Manifest;
  assert.equal(m.abi, 1);
  assert.equal(typeof m.name, 'string');
  assert.equal(typeof m.version, 'string');
  assert.ok(Array.isArray(m.handlers));
  for (const h of m.handlers) {
    for (const key of Object.keys(h))
      assert.ok(['symbol', 'phase', 'description'].includes(key), `field ${key}`);
    assert.match(h.symbol, /^[A-Za-z_][A-Za-z0-9_]*$/);
    assert.ok(h.phase === 'request' || h.phase === 'response', `phase ${h.phase}`);
    if (h.description !== undefined)
      assert.ok(h.description.length > 10, `${h.symbol} has a real description`);
  }
  return m;
}

const EXAMPLES: { name: PluginName; extra: Record<string, 'request' | 'response'> }[] = [
  { name: 'example-c', extra: {} },
  { name: 'example-go', extra: { Panic: 'request' } },
];

for (const { name, extra } of EXAMPLES) {
  describe(name, () => {
    const expected = { ...HANDLERS, ...extra };

    test('builds and exports exactly the ABI symbols and its handlers', async (t) => {
      const lib = await requirePlugin(t, name);
      if (!lib) return;
      const exports = (await definedExports(lib)).filter((s) => !CGO_RUNTIME.test(s));
      assert.deepEqual(exports, [...ABI_EXPORTS, ...Object.keys(expected)].sort());
    });

    test('reports ABI 1 and a manifest of ABI.md shape listing every handler with its phase', async (t) => {
      const lib = await requirePlugin(t, name);
      if (!lib) return;
      const child = await runInChild(lib, []);
      assert.equal(child.report?.abi, 1);
      const m = checkManifest(child.report?.manifest ?? null);
      assert.equal(m.name, name);
      assert.deepEqual(
        Object.fromEntries(m.handlers.map((h) => [h.symbol, h.phase])),
        expected,
        'manifest handlers and phases',
      );
      for (const h of m.handlers) assert.ok(h.description, `${h.symbol} has a description`);
    });

    test('AddHeader appends X-Example and keeps every other header in order', async (t) => {
      const lib = await requirePlugin(t, name);
      if (!lib) return;
      const headers: [string, string][] = [
        ['Accept', 'application/json'],
        ['X-Trace', 'a'],
        ['X-Trace', 'b'],
      ];
      const [plain, configured] = (
        await callAll(lib, [
          { symbol: 'AddHeader', envelope: requestEnvelope({ headers }) },
          { symbol: 'AddHeader', envelope: requestEnvelope({ headers }, { value: 'from-config' }) },
        ])
      ).map((r) => result(r as HandlerReturn));
      assert.deepEqual(plain?.request?.headers, [...headers, ['X-Example', 'plugin-studio']]);
      assert.equal(plain?.request?.url, 'http://api.example.com/v1/orders?id=7');
      assert.equal(plain?.request?.method, 'GET');
      assert.equal(plain?.response, undefined);
      assert.deepEqual(configured?.request?.headers.at(-1), ['X-Example', 'from-config']);
    });

    test('RewritePath rewrites /v1/ to /v2/ and keeps the query; other paths pass unchanged', async (t) => {
      const lib = await requirePlugin(t, name);
      if (!lib) return;
      const rs = (
        await callAll(lib, [
          {
            symbol: 'RewritePath',
            envelope: requestEnvelope({ url: 'https://api.example.com/v1/orders/7?x=1&y=2' }),
          },
          { symbol: 'RewritePath', envelope: requestEnvelope({ url: 'http://api.example.com/health' }) },
          {
            symbol: 'RewritePath',
            envelope: requestEnvelope(
              { url: 'http://h:8080/api/users' },
              { from: '/api/', to: '/internal/api/' },
            ),
          },
        ])
      ).map((r) => result(r));
      assert.equal(rs[0]?.request?.url, 'https://api.example.com/v2/orders/7?x=1&y=2');
      assert.equal(rs[1]?.request, undefined, 'unchanged request is absent');
      assert.match(rs[1]?.logs?.[0]?.message ?? '', /does not start with \/v1\//);
      assert.equal(rs[2]?.request?.url, 'http://h:8080/internal/api/users');
    });

    test('RequireToken answers 403 with a text body without Authorization, continues with it', async (t) => {
      const lib = await requirePlugin(t, name);
      if (!lib) return;
      const [missing, present] = (
        await callAll(lib, [
          { symbol: 'RequireToken', envelope: requestEnvelope() },
          {
            symbol: 'RequireToken',
            envelope: requestEnvelope({ headers: [['authorization', 'Bearer abc']] }),
          },
        ])
      ).map((r) => result(r));
      assert.equal(missing?.response?.status, 403);
      assert.match(missing?.response?.body ?? '', /Authorization/);
      assert.deepEqual(missing?.response?.headers, [['Content-Type', 'text/plain; charset=utf-8']]);
      assert.equal(missing?.logs?.[0]?.level, 'warn');
      assert.equal(present?.response, undefined);
      assert.equal(present?.request, undefined);
    });

    test('StripServer removes every Server header, rewrites the body and fixes Content-Length', async (t) => {
      const lib = await requirePlugin(t, name);
      if (!lib) return;
      const body = '{"from":"upstream","note":"upstream says hi"}';
      const r = result(
        await callOne(
          lib,
          'StripServer',
          responseEnvelope({
            status: 201,
            headers: [
              ['Server', 'nginx/1.25'],
              ['Content-Type', 'application/json'],
              ['server', 'again'],
              ['Content-Length', String(body.length)],
            ],
            body,
          }),
        ),
      );
      const expectedBody = '{"from":"gateway","note":"gateway says hi"}';
      assert.equal(r.response?.status, 201);
      assert.equal(r.response?.body, expectedBody);
      assert.deepEqual(r.response?.headers, [
        ['Content-Type', 'application/json'],
        ['Content-Length', String(expectedBody.length)],
      ]);
      assert.equal(r.request, undefined);
    });

    test('damaged envelopes (a fast fuzz subset): no crash, a JSON object or an error message', async (t) => {
      const lib = await requirePlugin(t, name);
      if (!lib) return;
      const calls = mutatedCalls(Object.keys(HANDLERS), 400, 0x5eed);
      assert.deepEqual(checkFuzzResults(calls, await runInChild(lib, calls)).slice(0, 5), []);
    });

    test('StripServer without a response, and a handler given broken JSON, fail with a message', async (t) => {
      const lib = await requirePlugin(t, name);
      if (!lib) return;
      const [noResponse] = await callAll(lib, [{ symbol: 'StripServer', envelope: requestEnvelope() }]);
      assert.notEqual(noResponse?.status, 0);
      assert.match(noResponse?.output ?? '', /response/);
      const [broken, notObject] = await callAll(lib, [
        { symbol: 'AddHeader', envelope: null, raw: '{"abi":1,"request":' },
        { symbol: 'AddHeader', envelope: null, raw: '[1,2,3]' },
      ]);
      for (const r of [broken, notObject]) {
        assert.notEqual(r?.status, 0);
        assert.match(r?.output ?? '', /envelope/);
      }
    });
  });
}

describe('example-go Panic', () => {
  test('the SDK recovers the nil map panic and reports its message and stack', async (t) => {
    const lib = await requirePlugin(t, 'example-go');
    if (!lib) return;
    const r = result(await callOne(lib, 'Panic', requestEnvelope()));
    assert.equal(r.panic?.message, 'assignment to entry in nil map');
    assert.match(r.panic?.stack ?? '', /^goroutine \d+ \[running/);
    assert.match(r.panic?.stack ?? '', /main\.panicNilMap\(/);
    assert.match(r.panic?.stack ?? '', /examples\/go-cshared\/handlers\.go:\d+/);
    assert.equal(r.request, undefined);
  });
});
