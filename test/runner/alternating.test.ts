// 1,000 calls alternating crashing and healthy handlers, all queued at once: every call gets its
// own result (the healthy handler echoes the envelope, so a result given to the wrong call shows),
// the engine survives, and the time a host restart costs is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput, CallResult } from '../../src/runner/types.js';
import { requirePlugin } from '../helpers/plugins.js';

const CALLS = 1000;
const CRASHES = ['Segfault', 'Abort', 'Exit3'];

test('1,000 calls alternating crashes and healthy calls: no result lost or misplaced', async (t) => {
  const lib = await requirePlugin(t, 'crash-c');
  if (!lib) return;
  const session = await openPlugin(lib, { timeoutMs: 5000 });
  try {
    const started = performance.now();
    const calls: { input: CallInput; result: Promise<CallResult> }[] = [];
    for (let i = 0; i < CALLS; i++) {
      const healthy = i % 2 === 1;
      const input: CallInput = {
        symbol: healthy ? 'Echo' : (CRASHES[(i / 2) % CRASHES.length] ?? 'Segfault'),
        phase: 'request',
        request: {
          method: 'POST',
          url: `http://api.example.com/call/${i}`,
          headers: [['X-Call', String(i)]],
          body: `body of call ${i}`,
        },
      };
      calls.push({ input, result: session.call(input) });
    }
    const results = await Promise.all(calls.map((c) => c.result));
    const elapsed = performance.now() - started;
    let crashes = 0;
    results.forEach((r, i) => {
      const input = calls[i]!.input;
      assert.equal(r.symbol, input.symbol);
      assert.equal(r.requestBefore.url, input.request.url);
      if (input.symbol === 'Echo') {
        assert.equal(r.outcome, 'continue', `call ${i}: ${String(r.error)}`);
        const echoed = JSON.parse(r.logs[0]?.message ?? 'null') as { request: { url: string; body: string } };
        assert.equal(echoed.request.url, input.request.url, `call ${i} got the result of another call`);
        assert.equal(echoed.request.body, `body of call ${i}`);
        assert.equal(r.stdout + r.stderr, '');
      } else {
        crashes++;
        assert.equal(r.outcome, 'crash', `call ${i}`);
        assert.equal(r.crash?.restarted, true);
        if (input.symbol === 'Exit3')
          assert.equal(
            r.crash?.exitCode,
            3,
            `call ${i}: ${JSON.stringify({ ...r.crash, stderr: undefined })}`,
          );
        else assert.equal(r.crash?.signal, input.symbol === 'Abort' ? 'SIGABRT' : 'SIGSEGV');
      }
    });
    assert.equal(crashes, CALLS / 2);
    t.diagnostic(
      `${CALLS} calls in ${(elapsed / 1000).toFixed(1)} s: ${(elapsed / crashes).toFixed(1)} ms per crash and host restart`,
    );
    assert.equal((await session.call({ ...calls[1]!.input })).outcome, 'continue');
  } finally {
    await session.close();
  }
});
