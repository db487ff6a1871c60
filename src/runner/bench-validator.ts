/**
 * The bench's validating thread (see bench-ring.ts): classifies each output the main thread
 * publishes in the shared ring with the same code a single call uses, and counts the outcomes.
 * It sleeps on the ring's write counter when there is nothing to do.
 */
import { workerData } from 'node:worker_threads';
import { classifyOutput } from './host-call.js';
import { Ctl, ringViews, type RingLayout } from './bench-ring.js';
import { OUTCOMES, type Outcome } from './types.js';

const layout = workerData as RingLayout;
const { ctl, lengths, data } = ringViews(layout);
const outcomeIndex = new Map<Outcome, number>(OUTCOMES.map((o, i) => [o, i]));
/**
 * A few empty polls before sleeping, no more: a spinning thread takes CPU from the handler on a
 * busy machine, and the main thread wakes this one once a batch of outputs waits.
 */
const SPINS = 20;

function serve(): never {
  let r = Atomics.load(ctl, Ctl.read);
  let idle = 0;
  Atomics.store(ctl, Ctl.ready, 1);
  for (;;) {
    const w = Atomics.load(ctl, Ctl.write);
    if (r === w) {
      if (++idle < SPINS) continue;
      Atomics.store(ctl, Ctl.sleeping, 1);
      if (Atomics.load(ctl, Ctl.write) === r) Atomics.wait(ctl, Ctl.write, r);
      Atomics.store(ctl, Ctl.sleeping, 0);
      idle = 0;
      continue;
    }
    idle = 0;
    const phase = Atomics.load(ctl, Ctl.phase) === 1 ? 'response' : 'request';
    const up = Atomics.load(ctl, Ctl.upstream);
    for (; r !== w; r = (r + 1) | 0) {
      const slot = r & (layout.slots - 1);
      const start = slot * layout.slotBytes;
      const length = lengths[slot]!;
      const out = classifyOutput(
        {
          status: 0,
          isNull: false,
          length,
          lengthText: '',
          bytes: data.subarray(start, start + length),
          durationNs: 0,
        },
        phase,
        up < 0 ? null : up,
        layout.slotBytes,
      );
      Atomics.add(ctl, Ctl.counts + outcomeIndex.get(out.outcome)!, 1);
      // Published per record so a full ring frees up as soon as possible.
      Atomics.store(ctl, Ctl.read, (r + 1) | 0);
    }
    if (Atomics.load(ctl, Ctl.mainWaiting) === 1) Atomics.notify(ctl, Ctl.read);
  }
}

serve();
