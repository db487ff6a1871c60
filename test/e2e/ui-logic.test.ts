/**
 * The UI's own logic, headless: curl paste (against the fixtures importer on real curl material),
 * the URL/query-table sync, symbol ordering and search, the composer's conversions. The modules
 * tested here are plain TypeScript (no DOM), shared with the renderer bundle.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { splitBashCommands } from '../../src/fixtures/curl-words.js';
import { importCurlCommand } from '../../src/fixtures/import-curl.js';
import { encodeSymbolTable } from '../../src/api/symbol-table.js';
import type { SymbolRecord } from '../../src/binary/types.js';
import { CurlError, looksLikeCurl, parseCurl } from '../../renderer/src/lib/curl-paste.js';
import { paramsFromUrl, syncRowsFromUrl, urlWithRows } from '../../renderer/src/lib/url-params.js';
import { row } from '../../renderer/src/lib/rows.js';
import {
  applyFilters,
  buildRows,
  DEFAULT_FILTERS,
  firstRows,
  makeRows,
  searchRows,
  sortOrder,
  SymbolSearcher,
} from '../../renderer/src/lib/symbol-search.js';
import {
  callInputFromComposer,
  composerFromCall,
  composerFromFixture,
  emptyComposer,
  fixtureFromComposer,
} from '../../renderer/src/state/composer.js';
import { bodyFromFormRows, formRowsFromBody } from '../../renderer/src/lib/form-body.js';
import { headerChanges } from '../../renderer/src/lib/http-text.js';
import { mutate, rng } from './ui-fuzz.js';
import { symbolRecord } from '../helpers/symbols.js';

const CURL = path.resolve(import.meta.dirname, '..', 'data', 'fixtures', 'curl');

// Commands whose request needs a file or standard input: the browser has neither, so the paste
// reports the option as not applied instead of guessing.
const NEEDS_FILES =
  /(^|\s)(-d|--data(-binary|-ascii)?|--data-urlencode|-F|--form|-T)\s+['"]?[^'"\s=]*[@<]|\|\s*curl/;

test('curl paste agrees with the fixtures importer on real curl commands from documentation', () => {
  let compared = 0;
  for (const file of ['docs.curl', 'files.curl']) {
    for (const cmd of splitBashCommands(fs.readFileSync(path.join(CURL, file), 'utf8'))) {
      const where = `${file}:${cmd.line}`;
      if (NEEDS_FILES.test(cmd.text)) {
        if (looksLikeCurl(cmd.text))
          assert.ok(parseCurl(cmd.text).ignored.length > 0, `${where}: file options reported`);
        continue;
      }
      const theirs = importCurlCommand(cmd.text).request;
      const mine = parseCurl(cmd.text);
      // Multipart boundaries are random (as curl's are): compared with the boundary named alike.
      const same = (r: { method: string; url: string; headers: [string, string][]; body: string }) => {
        const b = /boundary=(\S+)/.exec(r.headers.find(([n]) => n === 'Content-Type')?.[1] ?? '')?.[1];
        const norm = (x: string) => (b ? x.split(b).join('BOUNDARY') : x);
        return {
          method: r.method,
          url: r.url,
          headers: r.headers.map(([n, v]) => [n, norm(v)]),
          body: norm(r.body),
        };
      };
      assert.deepEqual(same(mine), same(theirs), where);
      compared++;
    }
  }
  assert.ok(compared >= 25, `${compared} commands compared`);
});

test('curl paste reads Chrome\'s "Copy as cURL (cmd)" quoting', () => {
  const text = fs.readFileSync(path.join(CURL, 'chrome-cmd.curl'), 'utf8');
  const theirs = importCurlCommand(text).request;
  const mine = parseCurl(text);
  assert.deepEqual(
    [mine.method, mine.url, mine.headers, mine.body],
    [theirs.method, theirs.url, theirs.headers, theirs.body],
  );
});

test('curl paste: flags, defaults and errors', () => {
  const r = parseCurl(
    `curl -sSLX PATCH 'https://a.example/x' -u me:pw -A agent/1 -H 'User-Agent: mine' --json '{"a":1}' -k`,
  );
  assert.equal(r.method, 'PATCH');
  assert.deepEqual(r.headers, [
    ['Authorization', `Basic ${btoa('me:pw')}`],
    ['Accept', 'application/json'],
    ['User-Agent', 'mine'],
    ['Content-Type', 'application/json'],
  ]);
  assert.equal(r.body, '{"a":1}');
  assert.deepEqual(r.ignored, ['-s', '-S', '-L', '-k']);
  assert.equal(parseCurl('curl -I example.com').method, 'HEAD');
  assert.equal(
    parseCurl(`curl -G https://x.example/s -d q=1 --data-urlencode 'w=a b'`).url,
    'https://x.example/s?q=1&w=a+b',
  );
  assert.equal(parseCurl(`$ curl $'https://x.example/\\x41'`).url, 'https://x.example/A');
  assert.ok(looksLikeCurl('  curl https://x'));
  assert.ok(!looksLikeCurl('https://curl.se'));
  assert.throws(() => parseCurl('wget https://x'), CurlError);
  assert.throws(() => parseCurl('curl -H'), CurlError);
  assert.throws(() => parseCurl('curl -v'), CurlError);
});

test('curl paste survives mutated input with a result or a CurlError', () => {
  const seeds = [
    fs
      .readFileSync(path.join(CURL, 'docs.curl'), 'utf8')
      .split('\n\n')
      .filter((s) => s.includes('curl')),
    [fs.readFileSync(path.join(CURL, 'chrome-cmd.curl'), 'utf8')],
  ].flat();
  const random = rng(7);
  for (let i = 0; i < 3000; i++) {
    const input = mutate(seeds[i % seeds.length]!, random);
    try {
      parseCurl(input);
    } catch (err) {
      if (!(err instanceof CurlError))
        throw new Error(`input ${JSON.stringify(input)} threw ${String(err)}`, { cause: err });
    }
  }
});

test('URL and query table stay in sync; switched-off parameters stay in the table only', () => {
  const url = 'http://h.example/p?a=1&b=two%20words&flag#frag';
  assert.deepEqual(paramsFromUrl(url), [
    ['a', '1'],
    ['b', 'two words'],
    ['flag', ''],
  ]);
  const rows = syncRowsFromUrl(url, []);
  const off = rows.map((r, i) => (i === 0 ? { ...r, enabled: false } : r));
  const rebuilt = urlWithRows(url, off);
  assert.equal(rebuilt, 'http://h.example/p?b=two%20words&flag#frag');
  const again = syncRowsFromUrl(rebuilt, off);
  assert.deepEqual(
    again.map((r) => [r.name, r.value, r.enabled]),
    [
      ['b', 'two words', true],
      ['flag', '', true],
      ['a', '1', false],
    ],
  );
  assert.equal(urlWithRows('http://h/p?x=1', [row('q', 'a&b=c/d')]), 'http://h/p?q=a%26b%3Dc/d');
  assert.deepEqual(paramsFromUrl('http://h/?bad=%E0%A4%A'), [['bad', '%E0%A4%A']]);
  // Half of a pasted emoji (a lone surrogate) is encoded as U+FFFD rather than throwing.
  assert.equal(urlWithRows('http://h/', [row('e', '\uD83D')]), 'http://h/?e=%EF%BF%BD');
});

test('form bodies round-trip through the table', () => {
  const body = 'a=1&name=J%C3%BCrgen+M&empty=';
  const rows = formRowsFromBody(body);
  assert.deepEqual(
    rows.map((r) => [r.name, r.value]),
    [
      ['a', '1'],
      ['name', 'Jürgen M'],
      ['empty', ''],
    ],
  );
  assert.equal(bodyFromFormRows(rows), body);
});

const sym = symbolRecord;

function bigTable(n: number) {
  const random = rng(3);
  const symbols: SymbolRecord[] = [];
  const parts = [
    'uv',
    'loop',
    'init',
    'napi',
    'create',
    'ssl',
    'read',
    'v8',
    'isolate',
    'heap',
    'alloc',
    'zlib',
  ];
  for (let i = 0; i < n; i++) {
    const words = Array.from(
      { length: 2 + Math.floor(random() * 3) },
      () => parts[Math.floor(random() * parts.length)]!,
    );
    const name = `${words.join('_')}_${i}`;
    const cxx = i % 5 === 0;
    symbols.push(
      sym(cxx ? `_ZN2v8${name.length}${name}Ev` : name, {
        demangled: cxx ? `v8::${name}()` : null,
        kind: i % 7 === 0 ? 'object' : 'func',
        defined: i % 11 !== 0,
        noise: i % 13 === 0,
      }),
    );
  }
  symbols.push(sym('Zeta', { handler: { phase: 'response' } }));
  symbols.push(sym('Alpha', { handler: { phase: 'request' } }));
  symbols.push(sym('plugin_studio_free', { abi: 'free' }));
  return encodeSymbolTable('/x.so', symbols);
}

test('symbols: handlers first, then ABI exports, then by name; first rows equal the sorted prefix', () => {
  const t = bigTable(20_000);
  const sorted = buildRows(t);
  assert.deepEqual(
    sorted.slice(0, 3).map((r) => r.name),
    ['Alpha', 'Zeta', 'plugin_studio_free'],
  );
  for (let i = 4; i < sorted.length; i++) assert.ok(sorted[i - 1]!.display <= sorted[i]!.display);
  assert.deepEqual(
    firstRows(makeRows(t), 80).map((r) => r.i),
    sorted.slice(0, 80).map((r) => r.i),
  );
  // The sort worker's order is the same order.
  const rows = makeRows(t);
  const order = sortOrder(
    rows.map((r) => r.display),
    Uint8Array.from(rows, (r) => r.group),
  );
  assert.deepEqual(
    Array.from(order, (i) => rows[i]!.i),
    sorted.map((r) => r.i),
  );
});

test('symbols: filters, substring before fuzzy, and keystroke narrowing equals a fresh search', () => {
  const rows = buildRows(bigTable(20_000));
  const visible = applyFilters(rows, DEFAULT_FILTERS);
  assert.ok(visible.every((r) => r.defined && !r.noise));
  const data = applyFilters(rows, { ...DEFAULT_FILTERS, data: true });
  assert.ok(data.length > 0 && data.every((r) => r.kind === 'object'));
  const handlers = applyFilters(rows, { ...DEFAULT_FILTERS, handlers: true });
  assert.deepEqual(
    handlers.map((r) => r.name),
    ['Alpha', 'Zeta'],
  );

  const sub = searchRows(visible, 'V8::Uv_Loop');
  assert.ok(sub.substringCount > 0);
  assert.ok(
    sub.rows
      .slice(0, sub.substringCount)
      .every((r) => (r.demangled ?? '').toLowerCase().includes('v8::uv_loop')),
  );
  const fuzzy = searchRows(visible, 'napicreat_1');
  assert.equal(fuzzy.substringCount, 0);
  assert.ok(fuzzy.rows.length > 0, 'fuzzy finds letters in order');

  const searcher = new SymbolSearcher(visible);
  for (const q of ['u', 'uv', 'uv_', 'uv_l', 'uv_lo', 'uv_loop_i', 'n', 'na', 'napi_c', 'x', 'xq']) {
    const typed = searcher.search(q);
    const fresh = searchRows(visible, q);
    assert.deepEqual(
      typed.rows.map((r) => r.i),
      fresh.rows.map((r) => r.i),
      q,
    );
  }
});

test('symbols: fuzzy search tries the tightest letter matches first, not the first rows', () => {
  // 6,000 names that hold s,s,l,r,e,a,d in order, loosely, come before the one that means it.
  const loose = Array.from({ length: 6000 }, (_, i) => sym(`s${i}_s_x_l_x_r_x_e_x_a_x_d_${i}`));
  const rows = makeRows(encodeSymbolTable('/x.so', [...loose, sym('SSL_read'), sym('ssl3_read_n')]));
  const found = searchRows(rows, 'sslread');
  assert.equal(found.substringCount, 0);
  assert.deepEqual(
    found.rows.slice(0, 2).map((r) => r.name),
    ['SSL_read', 'ssl3_read_n'],
  );
});

test('composer: a call, a history entry and a fixture open and convert back unchanged', () => {
  const input = {
    symbol: 'StripServer',
    phase: 'response' as const,
    request: {
      method: 'POST',
      url: 'http://api.example.com/orders?id=7',
      proto: 'HTTP/1.1',
      remote_addr: '127.0.0.1:51000',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Trace', 'a'],
        ['X-Trace', 'b'],
      ] as [string, string][],
      body: '{"qty":1}',
      body_encoding: 'utf8' as const,
    },
    response: { status: 200, headers: [['Server', 'up']] as [string, string][], body: 'hello from upstream' },
    config: { find: 'upstream' },
    timeoutMs: 5000,
  };
  const back = callInputFromComposer(composerFromCall(input));
  assert.deepEqual(back, input);

  const fixture = fixtureFromComposer(composerFromCall(input), 'strip', null);
  assert.equal(fixture.version, 2);
  assert.deepEqual(fixture.target, { symbol: 'StripServer', phase: 'response' });
  const reopened = fixtureFromComposer(composerFromFixture(fixture), 'strip', fixture);
  assert.deepEqual(reopened, fixture);

  const bin = composerFromCall({
    ...input,
    request: { ...input.request, body: 'AAEC', body_encoding: 'base64' },
  });
  assert.equal(bin.bodyMode, 'binary');
  assert.equal(callInputFromComposer(bin).request.body_encoding, 'base64');

  assert.throws(
    () => callInputFromComposer({ ...emptyComposer(), symbol: 'X', configText: '{nope' }),
    /config is not valid JSON/,
  );
  assert.throws(() => callInputFromComposer(emptyComposer()), /Choose a handler/);
});

test('header changes are named, in order, with repeats and case-insensitive names', () => {
  assert.deepEqual(
    headerChanges(
      [
        ['Server', 'a'],
        ['X-Trace', '1'],
        ['Keep', 'k'],
      ],
      [
        ['keep', 'k'],
        ['X-Trace', '1'],
        ['X-Trace', '2'],
        ['X-Example', 'e'],
      ],
    ),
    [
      { kind: 'changed', name: 'X-Trace', before: '1', after: '1, 2' },
      { kind: 'added', name: 'X-Example', before: null, after: 'e' },
      { kind: 'removed', name: 'Server', before: 'a', after: null },
    ],
  );
});
