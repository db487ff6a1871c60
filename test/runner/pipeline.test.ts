// Calls queued together are pipelined to the host (sent before earlier results are back): each
// still gets its own output, its own time limit, and a crash, timeout, cancel or close ends only
// the call that was running; the calls sent after it run on the fresh host (or, after close, are
// reported as never run).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput, CallResult, PluginSession } from '../../src/runner/types.js';
import { requirePlugin } from '../helpers/plugins.js';

function input(symbol: string, i: number, extra: Partial<CallInput> = {}): CallInput {
  return {
    symbol,
    phase: 'request',
    request: { method: 'POST', url: `http://api.example.com/call/${i}`, headers: [], body: `call ${i}` },
    ...extra,
  };
}

/** The URL the Echo handler saw: which call's input this result came from. */
function echoedUrl(r: CallResult): string {
  return (JSON.parse(r.logs[0]?.message ?? 'null') as { request: { url: string } }).request.url;
}

function assertEcho(r: CallResult, i: number): void {
  assert.equal(r.outcome, 'continue', `call ${i}: ${String(r.error)}`);
  assert.equal(echoedUrl(r), `http://api.example.com/call/${i}`, `call ${i} got another call's result`);
}

describe('pipelined calls', () => {
  let session: PluginSession | null = null;
  before(async (t) => {
    const lib = await requirePlugin(t as never, 'crash-c');
    if (lib) session = await openPlugin(lib, { timeoutMs: 5000 });
  });
  after(async () => {
    await session?.close();
  });

  test('output is attributed to its own call when calls are sent ahead', async (t) => {
    if (!session) return t.skip('gcc missing');
    const s = session;
    const symbols = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 'StdioThenReturn' : 'Echo'));
    const results = await Promise.all(symbols.map((sym, i) => s.call(input(sym, i))));
    results.forEach((r, i) => {
      if (symbols[i] === 'Echo') {
        assertEcho(r, i);
        assert.equal(r.stdout + r.stderr, '', `call ${i} holds another call's output`);
      } else {
        assert.equal(r.stdout, 'crash-c: hello on stdout\n', `call ${i}`);
        assert.equal(r.stderr, 'crash-c: hello on stderr\n', `call ${i}`);
      }
    });
  });

  test('a crash fails only the running call; the calls sent after it run on the fresh host', async (t) => {
    if (!session) return t.skip('gcc missing');
    const s = session;
    const symbols = [
      ...Array.from({ length: 10 }, () => 'Echo'),
      'WriteThenCrash',
      ...Array.from({ length: 10 }, () => 'Echo'),
    ];
    const results = await Promise.all(symbols.map((sym, i) => s.call(input(sym, i))));
    results.forEach((r, i) => {
      if (i !== 10) return assertEcho(r, i);
      assert.equal(r.outcome, 'crash');
      assert.equal(r.crash?.restarted, true);
      assert.equal(r.stdout, 'crash-c: raw stdout before the crash\n');
      assert.match(r.stderr, /crash-c: raw stderr before the crash/);
    });
  });

  test('each call has its own time limit, started when the call before it returned', async (t) => {
    if (!session) return t.skip('gcc missing');
    const s = session;
    // Five 200 ms calls with a 300 ms limit each: a second in all, none over its own limit.
    const slow = await Promise.all(
      Array.from({ length: 5 }, (_, i) => s.call(input('Sleep', i, { timeoutMs: 300 }))),
    );
    for (const r of slow) assert.equal(r.outcome, 'continue', String(r.error));
    const symbols = ['Echo', 'Echo', 'Sleep', 'Echo', 'Echo'];
    const results = await Promise.all(
      symbols.map((sym, i) => s.call(input(sym, i, sym === 'Sleep' ? { timeoutMs: 50 } : {}))),
    );
    results.forEach((r, i) => {
      if (i === 2) assert.equal(r.outcome, 'timeout');
      else assertEcho(r, i);
    });
  });

  test('cancel ends the running call; the calls sent after it run on the fresh host', async (t) => {
    if (!session) return t.skip('gcc missing');
    const s = session;
    const first = s.call(input('Echo', 0));
    const hang = s.call(input('Hang', 1));
    const behind = [2, 3, 4].map((i) => s.call(input('Echo', i)));
    assertEcho(await first, 0);
    await new Promise((r) => setTimeout(r, 100));
    s.cancel();
    const cancelled = await hang;
    assert.equal(cancelled.outcome, 'error');
    assert.equal(cancelled.error, 'cancelled by the user');
    (await Promise.all(behind)).forEach((r, k) => assertEcho(r, k + 2));
  });

  test('1,000 calls alternating crashes and healthy calls with a bench and a reload among them', async (t) => {
    if (!session) return t.skip('gcc missing');
    const s = session;
    const calls: Promise<CallResult>[] = [];
    const symbols: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const sym = i % 10 === 5 ? (i % 20 === 5 ? 'Segfault' : 'Exit3') : 'Echo';
      symbols.push(sym);
      calls.push(s.call(input(sym, i)));
      if (i === 300) void s.reload();
    }
    const bench = s.bench(input('Ok', 0), 100);
    const results = await Promise.all(calls);
    results.forEach((r, i) => {
      if (symbols[i] === 'Echo') assertEcho(r, i);
      else assert.equal(r.outcome, 'crash', `call ${i}`);
    });
    assert.deepEqual((await bench).outcomes, { continue: 100 });
  });

  test('results already returned are not lost when a later call in the batch kills the host', async () => {
    if (!session) return;
    // 64 KiB results fill the channel while this process is too busy to read it: the host must
    // not run the crashing call while earlier results are still waiting to be written. The calls
    // queue behind a slow one, so that they go out together once it returns.
    const slow = session.call(input('Sleep', 0));
    const big = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => session!.call(input('Return64K', i)));
    const crash = session.call(input('Segfault', 9));
    const behind = session.call(input('Echo', 10));
    assert.equal((await slow).outcome, 'continue');
    await new Promise((r) => setImmediate(r));
    const until = performance.now() + 500;
    while (performance.now() < until);
    for (const [i, r] of (await Promise.all(big)).entries())
      assert.equal(r.outcome, 'continue', `call ${i}: ${r.outcome} ${String(r.error ?? r.crash?.message)}`);
    assert.equal((await crash).outcome, 'crash');
    assertEcho(await behind, 10);
  });

  test('results of several MB reach the supervisor whole, in order, when written faster than read', async () => {
    if (!session) return;
    // Each result is far larger than the channel's buffer: the host writes it in pieces, waiting
    // for the supervisor to drain the channel between them.
    const body = (i: number) => `${i}:${'x'.repeat(3 * 1024 * 1024)}`;
    const calls = [0, 1, 2].map((i) =>
      session!.call(input('Echo', i, { request: { ...input('Echo', i).request, body: body(i) } })),
    );
    for (const [i, r] of (await Promise.all(calls)).entries()) {
      assertEcho(r, i);
      const echoed = JSON.parse(r.logs[0]!.message) as { request: { body: string } };
      assert.equal(echoed.request.body, body(i), `call ${i}: the body came back changed`);
    }
  });

  test('close while calls are in flight: the running one was closed, the rest never ran', async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    const s = await openPlugin(lib);
    const first = s.call(input('Echo', 0));
    const hang = s.call(input('Hang', 1));
    const behind = [2, 3].map((i) => s.call(input('Echo', i)));
    assertEcho(await first, 0);
    await new Promise((r) => setTimeout(r, 50));
    await s.close();
    assert.match((await hang).error ?? '', /closed while the call ran/);
    for (const r of await Promise.all(behind)) assert.match(r.error ?? '', /closed before this call ran/);
  });
});
