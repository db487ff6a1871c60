// The crash matrix of issue 3 on real compiled plugins: every way a handler can fail gives the
// right outcome and a useful message, and the next call on the same opened plugin succeeds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput, CallResult, PluginSession } from '../../src/runner/types.js';
import { requirePlugin } from '../helpers/plugins.js';

const request: CallInput['request'] = {
  method: 'GET',
  url: 'http://api.example.com/orders?id=7',
  headers: [['X-Trace', 'a']],
  body: '',
};

function input(symbol: string, extra: Partial<CallInput> = {}): CallInput {
  return { symbol, phase: 'request', request, ...extra };
}

interface Row {
  symbol: string;
  outcome: CallResult['outcome'];
  /** What the user reads: in error, crash.message, stdout or stderr. */
  says: RegExp;
  check?: (r: CallResult) => void;
}

async function runMatrix(session: PluginSession, rows: Row[]): Promise<void> {
  for (const row of rows) {
    const r = await session.call(input(row.symbol));
    const text = [
      r.error,
      r.crash?.message,
      r.crash?.traceMessage,
      r.panic?.message,
      r.stdout,
      r.stderr,
    ].join('\n');
    assert.equal(r.outcome, row.outcome, `${row.symbol}: ${text}`);
    assert.match(text, row.says, row.symbol);
    row.check?.(r);
    const next = await session.call(input('Ok'));
    assert.equal(next.outcome, 'continue', `the call after ${row.symbol} works: ${String(next.error)}`);
  }
}

describe('crash matrix: C plugin', () => {
  let session: PluginSession | null = null;
  before(async (t) => {
    const lib = await requirePlugin(t as never, 'crash-c');
    if (lib) session = await openPlugin(lib, { timeoutMs: 1500 });
  });
  after(() => session?.close());

  test('each failure has its outcome and message, and the next call works', async (t) => {
    if (!session) return t.skip('gcc missing');
    await runMatrix(session, [
      {
        symbol: 'Segfault',
        outcome: 'crash',
        says: /SIGSEGV \(segmentation fault: the plugin read or wrote memory it does not own\)/,
        check: (r) => {
          assert.equal(r.crash?.signal, 'SIGSEGV');
          assert.equal(r.crash?.restarted, true);
        },
      },
      {
        symbol: 'Abort',
        outcome: 'crash',
        says: /SIGABRT/,
        check: (r) => {
          assert.equal(r.crash?.trace, 'abort');
          assert.match(r.crash?.stderr ?? '', /giving up with abort\(\)/);
        },
      },
      { symbol: 'StackOverflow', outcome: 'crash', says: /SIGSEGV/ },
      { symbol: 'Hang', outcome: 'timeout', says: /longer than the 1500 ms limit.*killed and started again/ },
      {
        symbol: 'Exit3',
        outcome: 'crash',
        says: /exited with code 3/,
        check: (r) => {
          assert.equal(r.crash?.exitCode, 3);
          assert.equal(r.crash?.signal, null);
        },
      },
      {
        symbol: 'ClaimsHugeLength',
        outcome: 'abi_error',
        says: /\*out_len to 4611686018427387904 bytes, over the limit of 67108864/,
      },
      { symbol: 'HugeOutput', outcome: 'abi_error', says: /over the limit of 67108864 bytes/ },
      { symbol: 'InvalidJson', outcome: 'abi_error', says: /not JSON/ },
      { symbol: 'InvalidUtf8', outcome: 'abi_error', says: /not valid UTF-8 \(bad byte at offset 39\)/ },
      {
        symbol: 'WrongShape',
        outcome: 'abi_error',
        says: /response\.status must be an HTTP status code.*not a string/,
      },
      { symbol: 'NullOutput', outcome: 'abi_error', says: /returned 0 \(success\) but left \*out NULL/ },
      {
        symbol: 'ErrorStatus',
        outcome: 'error',
        says: /token service unreachable: connection refused/,
        check: (r) => assert.equal(r.status, 7),
      },
      { symbol: 'ErrorNoMessage', outcome: 'error', says: /returned status 1 without a message/ },
      { symbol: 'NoSuchHandler', outcome: 'error', says: /exports no function named "NoSuchHandler"/ },
    ]);
  });

  test('output is captured per call, also just before a crash', async (t) => {
    if (!session) return t.skip('gcc missing');
    const ok = await session.call(input('StdioThenReturn'));
    assert.equal(ok.stdout, 'crash-c: hello on stdout\n');
    assert.equal(ok.stderr, 'crash-c: hello on stderr\n');
    const quiet = await session.call(input('Ok'));
    assert.equal(quiet.stdout + quiet.stderr, '', 'nothing leaks into the next call');
    const raw = await session.call(input('WriteThenCrash'));
    assert.equal(raw.outcome, 'crash');
    assert.equal(raw.stdout, 'crash-c: raw stdout before the crash\n');
    assert.match(raw.stderr, /crash-c: raw stderr before the crash/);
    const stdio = await session.call(input('StdioThenCrash'));
    assert.equal(stdio.outcome, 'crash');
    assert.equal(stdio.stdout, 'crash-c: stdout before the crash\n', 'C stdout is unbuffered in the host');
    assert.match(stdio.crash?.stderr ?? '', /crash-c: stderr before the crash/);
  });

  test('a per-call time limit overrides the session default; cancel ends the running call', async (t) => {
    if (!session) return t.skip('gcc missing');
    const slow = await session.call(input('Sleep', { timeoutMs: 50 }));
    assert.equal(slow.outcome, 'timeout');
    const hang = session.call(input('Hang'));
    const queued = session.call(input('Echo'));
    setTimeout(() => session?.cancel(), 200);
    const cancelled = await hang;
    assert.equal(cancelled.outcome, 'error');
    assert.equal(cancelled.error, 'cancelled by the user');
    const q = await queued;
    assert.equal(q.outcome, 'continue', 'the queued call runs on the fresh host');
  });

  test('reload restarts the host and the plugin works after it', async (t) => {
    if (!session) return t.skip('gcc missing');
    const states: string[] = [];
    await session.reload();
    states.push(session.state);
    assert.deepEqual(states, ['ready']);
    assert.equal((await session.call(input('Ok'))).outcome, 'continue');
  });
});

describe('crash matrix: Go c-shared plugin', () => {
  let session: PluginSession | null = null;
  before(async (t) => {
    const lib = await requirePlugin(t as never, 'crash-go');
    if (lib) session = await openPlugin(lib, { timeoutMs: 5000 });
  });
  after(() => session?.close());

  test('Go panics, fatal errors and os.Exit are reported with parsed traces', async (t) => {
    if (!session) return t.skip('go missing');
    await runMatrix(session, [
      {
        symbol: 'PanicRecovered',
        outcome: 'panic',
        says: /assignment to entry in nil map/,
        check: (r) => {
          const own = r.panic?.frames.filter((f) => f.plugin) ?? [];
          assert.ok(
            own.some((f) => f.file?.endsWith('crash.go') && f.line === 25),
            JSON.stringify(r.panic?.frames),
          );
          assert.ok(r.panic?.frames.some((f) => f.function === 'pluginstudio.(*Handler).Call' && !f.plugin));
        },
      },
      {
        symbol: 'PanicRaw',
        outcome: 'crash',
        says: /died of a Go panic that nothing recovered: assignment to entry in nil map/,
        check: (r) => {
          assert.equal(r.crash?.trace, 'go-panic');
          assert.deepEqual(
            r.crash?.frames.map((f) => [f.function, f.plugin]),
            [['main.PanicRaw', true]],
          );
        },
      },
      {
        symbol: 'PanicGoroutine',
        outcome: 'crash',
        says: /panic in a goroutine while handling GET \/orders/,
        check: (r) => {
          assert.equal(r.crash?.trace, 'go-panic');
          assert.ok(r.crash?.frames.some((f) => f.function.startsWith('created by main.') && f.plugin));
        },
      },
      {
        symbol: 'ConcurrentMapWrites',
        outcome: 'crash',
        says: /Go fatal error: concurrent map writes/,
        check: (r) => assert.equal(r.crash?.trace, 'go-fatal'),
      },
      {
        symbol: 'Exit2',
        outcome: 'crash',
        says: /exited with code 2/,
        check: (r) => assert.match(r.crash?.stderr ?? '', /crash-go: exiting with status 2/),
      },
      {
        symbol: 'PrintThenOk',
        outcome: 'continue',
        says: /crash-go: hello on stdout/,
        check: (r) => assert.equal(r.stderr, 'crash-go: hello on stderr\n'),
      },
    ]);
  });
});
