// The bench's validation pipeline: outputs checked on a second thread must be classified exactly
// as single calls classify them, none lost or counted twice, whatever mix of outputs a handler
// returns (and whichever of them are too big for a slot or not clean, so checked inline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BenchRing } from '../../src/runner/bench-ring.js';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput } from '../../src/runner/types.js';
import { requirePlugin } from '../helpers/plugins.js';

const request: CallInput['request'] = {
  method: 'GET',
  url: 'http://api.example.com/',
  headers: [],
  body: '',
};

async function readyRing(): Promise<BenchRing> {
  const ring = BenchRing.start();
  assert.ok(ring, 'worker threads are available');
  const deadline = Date.now() + 10_000;
  while (!ring.ready) {
    assert.ok(Date.now() < deadline, 'the validation thread started');
    await new Promise((r) => setTimeout(r, 5));
  }
  return ring;
}

function publish(ring: BenchRing, text: string | Buffer): void {
  const slot = ring.slot();
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  bytes.copy(slot);
  ring.publish(bytes.length);
}

test('the validation thread classifies each published output as a single call would', async () => {
  const ring = await readyRing();
  ring.begin('request', null);
  const outputs = [
    '{}',
    '{"response":{"status":200,"headers":[],"body":"hi"}}',
    '{"response":{"status":403}}',
    '{"panic":{"message":"boom","stack":"goroutine 1 [running]:"}}',
    '{"request":',
    '{"response":{"status":"403"}}',
    Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
  ];
  // More records than the ring has slots: the main side must wait for the worker, not overwrite.
  const rounds = 700;
  for (let i = 0; i < rounds; i++) for (const o of outputs) publish(ring, o);
  assert.deepEqual(ring.drain(), {
    continue: rounds,
    respond: rounds,
    reject: rounds,
    panic: rounds,
    abi_error: 3 * rounds,
  });
  // Response phase, with the upstream's own status passed on.
  ring.begin('response', 503);
  publish(ring, '{"response":{"status":503}}');
  publish(ring, '{"response":{"status":502}}');
  assert.deepEqual(ring.drain(), { continue: 1, reject: 1 });
});

test('a long bench of a handler with every kind of output counts each outcome exactly', async (t) => {
  const lib = await requirePlugin(t, 'crash-c');
  if (!lib) return;
  const s = await openPlugin(lib);
  try {
    // Rotate cycles through nine results (test/plugins/c/crash.c); long enough for the
    // validation thread to start and take over, twice so the second bench reuses it.
    for (const cycles of [20_000, 3_000]) {
      const b = await s.bench({ symbol: 'Rotate', phase: 'request', request }, 9 * cycles);
      assert.equal(b.calls, 9 * cycles);
      assert.deepEqual(b.outcomes, {
        continue: 2 * cycles,
        respond: cycles,
        reject: cycles,
        abi_error: 4 * cycles,
        error: cycles,
      });
      assert.equal(b.sample?.outcome, b.calls === 9 * 20_000 ? 'continue' : b.sample?.outcome);
    }
  } finally {
    await s.close();
  }
});
