// 100,000 calls of a handler that returns 64 KiB: the plugin host's resident memory stays flat.
// The calls run through the host's bench loop (the same per-call path as a normal call: copy,
// free, UTF-8 check, JSON parse, validation, outcome) in slices, with the host's RSS read from
// /proc between slices; a few thousand calls then go through the full supervisor round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput } from '../../src/runner/types.js';
import { requirePlugin } from '../helpers/plugins.js';

const MiB = 1024 * 1024;

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  assert.ok(kb, 'VmRSS in /proc/PID/status');
  return Number(kb) * 1024;
}

test(
  '100,000 calls returning 64 KiB each: the host RSS stays flat',
  { skip: process.platform !== 'linux' },
  async (t) => {
    const lib = await requirePlugin(t, 'crash-c');
    if (!lib) return;
    const session = await openPlugin(lib, { timeoutMs: 30_000 });
    try {
      const pid = (session as unknown as { hostPid: number }).hostPid;
      const input: CallInput = {
        symbol: 'Return64K',
        phase: 'request',
        request: { method: 'GET', url: 'http://api.example.com/big', headers: [], body: '' },
      };
      const slices = 10;
      const perSlice = 10_000;
      const samples: number[] = [];
      for (let i = 0; i < slices; i++) {
        const b = await session.bench(input, perSlice);
        assert.equal(b.outcomes.continue, perSlice, JSON.stringify(b.outcomes));
        assert.equal(b.sample?.logs[0]?.message.length, 64 * 1024 - 40);
        samples.push(rssOf(pid));
      }
      // The first slices grow the heap to its working size; after that it must not keep growing.
      const settled = samples.slice(2);
      const growth = Math.max(...settled) - settled[0]!;
      t.diagnostic(`host RSS per 10,000 calls (MiB): ${samples.map((s) => (s / MiB).toFixed(1)).join(' ')}`);
      // 8 MiB over 80,000 calls would be a leak of 100 bytes per call.
      assert.ok(growth < 8 * MiB, `host RSS grew by ${(growth / MiB).toFixed(1)} MiB over 80,000 calls`);

      const supervised = async (n: number): Promise<void> => {
        for (let i = 0; i < n; i++) {
          const r = await session.call(input);
          assert.equal(r.outcome, 'continue');
          assert.equal(r.outputBytes, 64 * 1024);
        }
      };
      // IPC buffers and the heap grow to their working size first: one step of about 6 MiB,
      // somewhere in the first 4,000 to 6,000 results of 64 KiB, then flat (12,000 calls measured).
      await supervised(8000);
      const before = rssOf(pid);
      await supervised(3000);
      const after = rssOf(pid);
      t.diagnostic(
        `host RSS around 3,000 supervised calls: ${(before / MiB).toFixed(1)} -> ${(after / MiB).toFixed(1)} MiB`,
      );
      assert.ok(after - before < 4 * MiB, 'supervised calls do not grow the host either');
    } finally {
      await session.close();
    }
  },
);
