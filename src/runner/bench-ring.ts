/**
 * The bench's validation pipeline, main-thread side. A bench calls the handler on the host's main
 * thread, as every call is made, and copies each output straight into a slot of a ring in shared
 * memory; a second thread (bench-validator.ts) decodes, parses, validates and classifies the
 * outputs from the ring. Every result is still checked exactly as in a single call, but the
 * checking runs beside the next handler call instead of between two calls, so the bench's rate
 * is the handler's own rate as far as the machine has a second core.
 *
 * Outputs that do not fit a slot, and the rare calls that did not return a clean status-0 output,
 * are classified inline by the caller. The worker starts in the background: until it says it is
 * ready, the bench validates inline, so a short bench never waits for a thread to boot.
 */
import { Worker } from 'node:worker_threads';
import { OUTCOMES, type Outcome, type Phase } from './types.js';

const SLOTS = 1024;
const SLOT_BYTES = 8 * 1024;

/** Int32 words at the start of the shared buffer. */
export const Ctl = {
  /** Records published by the main thread (a wrapping counter). */
  write: 0,
  /** Records validated by the worker (a wrapping counter). */
  read: 1,
  /** The worker is waiting on `write`: the main thread must notify it. */
  sleeping: 2,
  /** The main thread is waiting on `read`: the worker must notify it. */
  mainWaiting: 3,
  /** 0 request, 1 response. */
  phase: 4,
  /** The upstream response's status for a response-phase bench, -1 for none. */
  upstream: 5,
  /** The worker has started and is serving the ring. */
  ready: 6,
  /** Per-outcome counts of the records validated so far, in OUTCOMES order. */
  counts: 8,
} as const;
const CTL_WORDS = Ctl.counts + OUTCOMES.length;
const LENGTHS_OFFSET = 4 * 32;
const DATA_OFFSET = LENGTHS_OFFSET + 4 * SLOTS;

export interface RingLayout {
  sab: SharedArrayBuffer;
  slots: number;
  slotBytes: number;
}

export interface RingViews {
  ctl: Int32Array;
  lengths: Int32Array;
  data: Buffer;
}

export function ringViews(layout: RingLayout): RingViews {
  return {
    ctl: new Int32Array(layout.sab, 0, CTL_WORDS),
    lengths: new Int32Array(layout.sab, LENGTHS_OFFSET, layout.slots),
    data: Buffer.from(layout.sab, DATA_OFFSET, layout.slots * layout.slotBytes),
  };
}

/** Wake the worker once this many records wait: one futex wake per batch, not per call. */
const WAKE_BATCH = 64;

export class BenchRing {
  private readonly v: RingViews;
  private readonly slotViews: Buffer[];
  private failed = false;

  private constructor(private readonly layout: RingLayout) {
    this.v = ringViews(layout);
    this.slotViews = Array.from({ length: layout.slots }, (_, i) =>
      this.v.data.subarray(i * layout.slotBytes, (i + 1) * layout.slotBytes),
    );
    const worker = startValidator(layout);
    // Never keeps the host alive, and a worker that cannot start (a packaged app without the
    // file, say) leaves the bench validating inline.
    worker.unref();
    worker.on('error', () => (this.failed = true));
    worker.on('exit', () => (this.failed = true));
  }

  /** Starts the validating thread; null when threads are unavailable here. */
  static start(): BenchRing | null {
    try {
      const sab = new SharedArrayBuffer(DATA_OFFSET + SLOTS * SLOT_BYTES);
      return new BenchRing({ sab, slots: SLOTS, slotBytes: SLOT_BYTES });
    } catch {
      return null;
    }
  }

  /** The worker is serving the ring. Only then may records be published. */
  get ready(): boolean {
    return !this.failed && Atomics.load(this.v.ctl, Ctl.ready) === 1;
  }

  /** Sets the phase and upstream status the next records are classified with; the ring is idle. */
  begin(phase: Phase, upstreamStatus: number | null): void {
    const ctl = this.v.ctl;
    Atomics.store(ctl, Ctl.phase, phase === 'response' ? 1 : 0);
    Atomics.store(ctl, Ctl.upstream, upstreamStatus ?? -1);
    for (let i = 0; i < OUTCOMES.length; i++) Atomics.store(ctl, Ctl.counts + i, 0);
  }

  /** The slot the next output may be copied into; waits while the ring is full. */
  slot(): Buffer {
    const ctl = this.v.ctl;
    const w = Atomics.load(ctl, Ctl.write);
    while (((w - Atomics.load(ctl, Ctl.read)) | 0) >= this.layout.slots) this.waitForWorker();
    return this.slotViews[w & (this.layout.slots - 1)]!;
  }

  /** Publishes the output copied into the current slot. */
  publish(length: number): void {
    const ctl = this.v.ctl;
    const w = Atomics.load(ctl, Ctl.write);
    this.v.lengths[w & (this.layout.slots - 1)] = length;
    Atomics.store(ctl, Ctl.write, (w + 1) | 0);
    if (Atomics.load(ctl, Ctl.sleeping) === 1 && ((w + 1 - Atomics.load(ctl, Ctl.read)) | 0) >= WAKE_BATCH)
      Atomics.notify(ctl, Ctl.write);
  }

  /** Waits until every published record is validated and returns the counts since `begin`. */
  drain(): Partial<Record<Outcome, number>> {
    const ctl = this.v.ctl;
    while (Atomics.load(ctl, Ctl.read) !== Atomics.load(ctl, Ctl.write)) this.waitForWorker();
    const counts: Partial<Record<Outcome, number>> = {};
    OUTCOMES.forEach((o, i) => {
      const n = Atomics.load(ctl, Ctl.counts + i);
      if (n > 0) counts[o] = n;
    });
    return counts;
  }

  private waitForWorker(): void {
    if (this.failed) throw new Error('The bench validation thread stopped.');
    const ctl = this.v.ctl;
    Atomics.store(ctl, Ctl.mainWaiting, 1);
    Atomics.notify(ctl, Ctl.write);
    const r = Atomics.load(ctl, Ctl.read);
    if (r !== Atomics.load(ctl, Ctl.write)) Atomics.wait(ctl, Ctl.read, r, 50);
    Atomics.store(ctl, Ctl.mainWaiting, 0);
  }
}

/**
 * The validator sits beside this module: `.js` in dist/, `.mjs` in the bundled development host,
 * `.ts` when the engine runs from its sources, where the worker must register tsx itself (a
 * worker does not inherit the loader hooks of `--import tsx`).
 */
function startValidator(layout: RingLayout): Worker {
  const ext = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? '.js';
  const url = new URL(`./bench-validator${ext}`, import.meta.url);
  if (ext !== '.ts') return new Worker(url, { workerData: layout });
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: layout });
}
