import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SymbolRecord } from '../../src/binary/types.js';
import {
  ApiError,
  createClient,
  createDispatcher,
  createFrameTransport,
  encodeSymbolTable,
  events,
  FixtureFileSchema,
  operations,
  symbolAt,
  SymbolTableSchema,
  symbolTableHead,
  type EventName,
  type EventPayload,
  type StudioApi,
  type Transport,
} from '../../src/api/index.js';
import type { CallInput, CallResult } from '../../src/runner/types.js';
import { symbolRecord } from '../helpers/symbols.js';

const input: CallInput = {
  symbol: 'AddHeader',
  phase: 'request',
  request: { method: 'GET', url: 'http://example.test/', headers: [['A', '1']], body: '' },
};

function resultFor(i: CallInput): CallResult {
  return {
    outcome: 'continue',
    symbol: i.symbol,
    phase: i.phase,
    requestBefore: i.request,
    request: { ...i.request, headers: [...i.request.headers, ['X-Example', 'yes']] },
    responseBefore: null,
    response: null,
    logs: [],
    stdout: '',
    stderr: '',
    panic: null,
    crash: null,
    error: null,
    status: 0,
    durationMs: 0.1,
    inputBytes: 10,
    outputBytes: 20,
  };
}

/** A StudioApi in which only `call` and `cancel` do anything; the rest say so. */
function partialApi(overrides: Partial<StudioApi>): StudioApi {
  const api = {} as Record<string, unknown>;
  for (const op of Object.keys(operations)) {
    api[op] = async () => {
      throw new ApiError('unavailable', `${op} is not part of this test`);
    };
  }
  return Object.assign(api, overrides) as StudioApi;
}

function inMemoryTransport(api: StudioApi) {
  const dispatch = createDispatcher(api);
  const listeners = new Set<(e: string, p: unknown) => void>();
  const transport: Transport = {
    // structuredClone: what Electron IPC does to arguments and replies.
    request: async (op, args) => structuredClone(await dispatch(op, structuredClone(args))),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  const emit = <E extends EventName>(e: E, p: EventPayload<E>) => listeners.forEach((l) => l(e, p));
  return { transport, emit, raw: (e: string, p: unknown) => listeners.forEach((l) => l(e, p)) };
}

test('a call goes through the dispatcher and comes back validated', async () => {
  const { transport } = inMemoryTransport(partialApi({ call: async (i) => resultFor(i) }));
  const client = createClient(transport);
  const r = await client.call(input);
  assert.equal(r.outcome, 'continue');
  assert.deepEqual(r.request.headers.at(-1), ['X-Example', 'yes']);
});

test('invalid arguments are refused with one sentence naming the field', async () => {
  const { transport } = inMemoryTransport(partialApi({ call: async (i) => resultFor(i) }));
  const client = createClient(transport);
  await assert.rejects(
    client.call({ ...input, phase: 'sideways' as 'request' }),
    (e: unknown) => e instanceof ApiError && e.code === 'invalid_args' && /phase/.test(e.message),
  );
  const reply = await transport.request('noSuchOp', {});
  assert.deepEqual(reply, {
    ok: false,
    error: { code: 'unknown_op', message: 'unknown operation "noSuchOp"' },
  });
});

test('engine errors keep their code; other throws become "failed"', async () => {
  const { transport } = inMemoryTransport(
    partialApi({
      cancel: async () => {
        throw new Error('the host is gone');
      },
    }),
  );
  const client = createClient(transport);
  await assert.rejects(client.cancel(), (e: unknown) => e instanceof ApiError && e.code === 'failed');
  await assert.rejects(client.symbols(), (e: unknown) => e instanceof ApiError && e.code === 'unavailable');
});

test('a reply that breaks the contract is reported as invalid_result', async () => {
  const { transport } = inMemoryTransport(
    partialApi({ cancel: async () => ({ cancelled: 'yes' }) as unknown as { cancelled: boolean } }),
  );
  await assert.rejects(
    createClient(transport).cancel(),
    (e: unknown) => e instanceof ApiError && e.code === 'invalid_result',
  );
});

test('events are validated and delivered to the listeners of that event only', () => {
  const { transport, emit, raw } = inMemoryTransport(partialApi({}));
  const bad: string[] = [];
  const client = createClient(transport, { onInvalidEvent: (e) => bad.push(e) });
  const seen: string[] = [];
  const off = client.on('hostStatus', (p) => seen.push(p.state));
  emit('hostStatus', { path: '/x.so', state: 'crashed', detail: null });
  emit('progress', { path: '/x.so', message: 'building' });
  raw('hostStatus', { path: '/x.so', state: 'exploded' });
  off();
  emit('hostStatus', { path: '/x.so', state: 'ready', detail: null });
  assert.deepEqual(seen, ['crashed']);
  assert.deepEqual(bad, ['hostStatus']);
  assert.ok(Object.keys(events).includes('fileChanged'));
});

test('the frame transport matches replies to requests and fails pending ones on close', async () => {
  const dispatch = createDispatcher(partialApi({ call: async (i) => resultFor(i) }));
  let deliver: (t: string) => void = () => {};
  let close: (r: string) => void = () => {};
  const transport = createFrameTransport({
    send(text) {
      const f = JSON.parse(text) as { id: number; op: string; args: unknown };
      if (f.op === 'cancel') return; // never answered: left pending until close
      void dispatch(f.op, f.args).then((reply) => {
        deliver('not json');
        deliver(JSON.stringify({ t: 'event', event: 'progress', payload: { path: '/p', message: 'm' } }));
        deliver(JSON.stringify({ t: 'res', id: f.id, reply }));
      });
    },
    onMessage: (l) => (deliver = l),
    onClose: (l) => (close = l),
  });
  const client = createClient(transport);
  const events: string[] = [];
  client.on('progress', (p) => events.push(p.message));
  const [a, b] = await Promise.all([client.call(input), client.call({ ...input, symbol: 'Other' })]);
  assert.equal(a.symbol, 'AddHeader');
  assert.equal(b.symbol, 'Other');
  assert.deepEqual(events, ['m', 'm']);
  assert.equal(transport.badFrames, 2);
  const pending = client.cancel();
  close('socket closed');
  await assert.rejects(pending, (e: unknown) => e instanceof ApiError && e.code === 'transport');
  await assert.rejects(client.cancel(), (e: unknown) => e instanceof ApiError && e.code === 'transport');
});

test('the symbol table round-trips every field and its schema checks column lengths', () => {
  const rows: SymbolRecord[] = [
    {
      name: '_ZN3foo3barEv',
      demangled: 'foo::bar()',
      version: 'GLIBC_2.2.5',
      versionHidden: true,
      kind: 'func',
      binding: 'weak',
      visibility: 'protected',
      defined: true,
      section: '.text',
      address: '0x1130',
      size: 42,
      source: 'dynsym',
      language: 'c++',
      noise: false,
      abi: null,
      handler: null,
    },
    {
      name: 'AddHeader',
      demangled: null,
      version: null,
      kind: 'func',
      binding: 'global',
      visibility: 'default',
      defined: true,
      section: '.text',
      address: '0x2000',
      size: 10,
      source: 'exports',
      ordinal: 3,
      forwarder: null,
      library: 'KERNEL32.dll',
      language: 'go',
      noise: true,
      abi: 'manifest',
      handler: { phase: 'request', description: 'adds X-Example' },
      goType: 'func(http.ResponseWriter, *http.Request)',
      goName: 'main.AddHeader',
    },
  ];
  const table = encodeSymbolTable('/p.so', rows);
  const wire = SymbolTableSchema.parse(JSON.parse(JSON.stringify(table)));
  const back = rows.map((_, i) => symbolAt(wire, i));
  const expected = rows.map((r) => {
    const { forwarder: _f, ...rest } = r;
    return rest;
  });
  assert.deepEqual(back, expected);
  assert.throws(() => symbolAt(wire, 2), RangeError);
  assert.equal(SymbolTableSchema.safeParse({ ...wire, name: ['one'] }).success, false);
});

test("the symbol table's head is the first rows of the list's display order", () => {
  const sym = symbolRecord;
  // Pseudo-random names with repeats (ties keep reader order), a few ABI exports and handlers.
  const rows: SymbolRecord[] = [];
  let x = 7;
  for (let i = 0; i < 500; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const name = `s${x % 97}`;
    rows.push(
      sym(name, {
        address: `0x${i.toString(16)}`,
        ...(i % 50 === 3 ? { demangled: `ns::${name}()` } : {}),
        ...(i % 120 === 5 ? { handler: { phase: 'request' as const } } : {}),
        ...(i % 90 === 7 ? { abi: 'free' as const } : {}),
      }),
    );
  }
  const group = (s: SymbolRecord) => (s.handler ? 0 : s.abi ? 1 : 2);
  const display = (s: SymbolRecord) => s.demangled ?? s.name;
  const order = rows
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) =>
        group(a.s) - group(b.s) ||
        (display(a.s) < display(b.s) ? -1 : display(a.s) > display(b.s) ? 1 : a.i - b.i),
    )
    .map((r) => r.s);
  for (const limit of [1, 20, 80, 500, 1000]) {
    const head = symbolTableHead('/p.so', rows, limit);
    assert.equal(head.total, 500);
    const table = SymbolTableSchema.parse(JSON.parse(JSON.stringify(head.table)));
    assert.equal(table.count, Math.min(limit, 500));
    const got = Array.from({ length: table.count }, (_, i) => symbolAt(table, i));
    assert.deepEqual(got, order.slice(0, limit), `limit ${limit}`);
  }
  assert.equal(symbolTableHead('/p.so', [], 80).table.count, 0);
});

test('fixture file names stay inside the fixtures folder', () => {
  for (const ok of ['a.yaml', 'auth/no-token.yaml', 'x..y.yaml'])
    assert.ok(FixtureFileSchema.safeParse(ok).success, ok);
  for (const bad of ['', '/etc/passwd', '../x.yaml', 'a/../../x.yaml', 'a\\b.yaml', 'a\0.yaml', '..']) {
    assert.equal(FixtureFileSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});
