/**
 * Fuzz campaigns for what browser mode parses from the outside: request frames and their
 * arguments (through the dispatcher), URL paths, cookie headers, and the frames a client reads.
 * Shared by the fast subset (inputs.test.ts) and the long run (inputs.fuzz.ts).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  ApiError,
  createDispatcher,
  createFrameTransport,
  operations,
  ReplySchema,
  type StudioApi,
} from '../../src/api/index.js';
import { parseCookies } from '../../src/server/guard.js';
import { resolveStatic } from '../../src/server/static-files.js';

import { mulberry32 as rng } from '../helpers/random.js';

const ATOMS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  NaN,
  '',
  'x',
  '..',
  '/',
  '\u0000',
  '\ud800',
  [],
  {},
  { __proto__: { x: 1 } },
];

function randomValue(r: () => number, depth = 0): unknown {
  const k = r();
  if (depth > 3 || k < 0.5) return ATOMS[Math.floor(r() * ATOMS.length)];
  if (k < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  const keys = [
    'path',
    'symbol',
    'phase',
    'request',
    'method',
    'url',
    'headers',
    'body',
    'file',
    'fixture',
    'id',
    'query',
    'limit',
    'offset',
    'timeoutMs',
    'constructor',
    '__proto__',
  ];
  for (let i = 0; i < r() * 5; i++) o[keys[Math.floor(r() * keys.length)]!] = randomValue(r, depth + 1);
  return o;
}

/** Mutates a valid value: drops, replaces or retypes one field somewhere inside. */
function mutate(value: unknown, r: () => number): unknown {
  if (value === null || typeof value !== 'object') return r() < 0.5 ? randomValue(r) : value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...(value as object) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return randomValue(r);
  const key = keys[Math.floor(r() * keys.length)]!;
  const c = copy as Record<string, unknown>;
  const roll = r();
  if (roll < 0.3) delete c[key];
  else if (roll < 0.6) c[key] = randomValue(r);
  else c[key] = mutate(c[key], r);
  return copy;
}

/** An API whose every operation succeeds (the dispatcher passes results through), so only argument validation is under test. */
function echoApi(): StudioApi {
  const api: Record<string, unknown> = {};
  for (const op of Object.keys(operations)) api[op] = async () => ({});
  return api as StudioApi;
}

export async function fuzzDispatcher(iterations: number, seed = 1): Promise<void> {
  const r = rng(seed);
  const dispatch = createDispatcher(echoApi());
  const ops = Object.keys(operations);
  for (let i = 0; i < iterations; i++) {
    const op = r() < 0.95 ? ops[Math.floor(r() * ops.length)]! : randomValue(r);
    const opName = typeof op === 'string' ? op : '';
    const valid = exampleArgs[opName];
    const args = valid !== undefined && r() < 0.8 ? mutate(valid, r) : randomValue(r);
    const reply = await dispatch(op, args);
    assert.ok(ReplySchema.safeParse(reply).success, `seed ${seed} iteration ${i}: not a reply`);
    if (!reply.ok)
      assert.match(reply.error.message, /^[^\n]+$/, `seed ${seed} iteration ${i}: ${reply.error.message}`);
  }
}

const exampleArgs: Record<string, unknown> = {
  openPlugin: { path: '/tmp/libx.so' },
  call: {
    symbol: 'AddHeader',
    phase: 'request',
    request: { method: 'GET', url: 'http://a/', headers: [['A', 'b']], body: '' },
  },
  fixturesRead: { file: 'a.yaml' },
  historyList: { offset: 0, limit: 10 },
  historySearch: { query: 'x' },
  historyGet: { id: '1' },
};

export function fuzzPaths(iterations: number, seed = 2): void {
  const r = rng(seed);
  const root = path.resolve('/srv/ui');
  const parts = [
    '..',
    '.',
    '%2e%2e',
    '%2f',
    '%5c',
    '\\',
    '/',
    'a',
    'index.html',
    '%00',
    '%',
    '%zz',
    '//',
    '%2e',
    'assets',
  ];
  for (let i = 0; i < iterations; i++) {
    const p =
      '/' +
      Array.from({ length: 1 + Math.floor(r() * 6) }, () => parts[Math.floor(r() * parts.length)]).join(
        r() < 0.5 ? '/' : '',
      );
    const file = resolveStatic(root, p);
    if (file !== null)
      assert.ok(file === root || file.startsWith(root + path.sep), `seed ${seed}: ${p} -> ${file}`);
  }
}

export function fuzzCookies(iterations: number, seed = 3): void {
  const r = rng(seed);
  const chars = 'ab=; ,"\\\u0000\u00ff%plugin_studio_1234';
  for (let i = 0; i < iterations; i++) {
    const header = Array.from(
      { length: Math.floor(r() * 40) },
      () => chars[Math.floor(r() * chars.length)],
    ).join('');
    const m = parseCookies(header);
    for (const [k] of m) assert.ok(k.length > 0);
  }
}

export async function fuzzClientFrames(iterations: number, seed = 4): Promise<void> {
  const r = rng(seed);
  let deliver: (t: string) => void = () => {};
  const transport = createFrameTransport({
    send: () => {},
    onMessage: (l) => (deliver = l),
    onClose: () => {},
  });
  const pending = transport.request('cancel', {});
  for (let i = 0; i < iterations; i++) {
    const frame =
      r() < 0.3
        ? JSON.stringify(randomValue(r))
        : JSON.stringify(mutate({ t: 'res', id: 1, reply: { ok: true, result: {} } }, r));
    deliver(r() < 0.1 ? frame.slice(0, Math.floor(r() * frame.length)) : frame);
  }
  deliver(
    JSON.stringify({ t: 'res', id: 1, reply: { ok: false, error: { code: 'failed', message: 'done' } } }),
  );
  const reply = await Promise.race([pending, Promise.resolve('still pending')]);
  assert.ok(reply !== undefined);
  assert.ok(!(reply instanceof ApiError));
}
