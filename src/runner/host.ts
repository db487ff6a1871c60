/**
 * The plugin host process for native plugins: loads the library with koffi and answers the
 * supervisor's messages (protocol.ts). It runs one call at a time on its main thread; the
 * supervisor owns time limits and restarts, because a handler stuck in native code cannot be
 * interrupted from inside this process.
 */
import fs from 'node:fs';
import { BenchRing } from './bench-ring.js';
import { callHandler, classifyOutput, type CallOutcome } from './host-call.js';
import { libc } from './libc.js';
import { LoadError, NativeLibrary } from './native-library.js';
import { endMarker } from './protocol.js';
import type {
  BenchMessage,
  BenchResultMessage,
  CallMessage,
  FromHost,
  OpenMessage,
  ResultMessage,
  ToHost,
} from './protocol.js';
import type { Outcome, Phase } from './types.js';

/** A bench yields to the event loop this often, to report progress. */
const BENCH_SLICE_NS = 100_000_000;

/**
 * Benches this long get a second thread that validates outputs beside the calls (bench-ring.ts);
 * started at the first such bench and kept for the next ones.
 */
const PIPELINE_MIN_CALLS = 2000;
let ring: BenchRing | null | undefined;

let library: NativeLibrary | null = null;
let latencyBuffer = new Float64Array(0);
let inputBuffer = Buffer.alloc(64 * 1024);

/**
 * The envelope's bytes in a buffer reused across calls. A fresh Buffer per call is a new
 * ArrayBuffer backing store that survives into old space and waits for a major GC: tens of MiB
 * of RSS over a long session of calls with large results.
 */
function envelopeBytes(envelope: string): Buffer {
  const n = Buffer.byteLength(envelope);
  if (n > inputBuffer.length) inputBuffer = Buffer.alloc(Math.max(n, inputBuffer.length * 2));
  inputBuffer.write(envelope, 0, 'utf8');
  return inputBuffer.subarray(0, n);
}
let maxOutputBytes = 64 * 1024 * 1024;

/**
 * The IPC channel's descriptor when the host may write on it itself: under Node's child_process
 * on POSIX (Node's 'json' serialisation is a JSON text and a newline per message). Not in an
 * Electron utility process (no channel, messages go through process.send) nor on Windows (a named
 * pipe Node writes asynchronously).
 */
function channelFd(): number | null {
  if (process.platform === 'win32') return null;
  const fd = (process.channel as { fd?: unknown } | undefined)?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : null;
}
const ipcFd = channelFd();

/**
 * Every message goes out the same way, so they stay in order: written on the channel before this
 * returns where the host can, else through process.send.
 */
function send(message: FromHost): void {
  if (ipcFd !== null) writeAll(ipcFd, `${JSON.stringify(message)}\n`);
  else process.send?.(message);
}

/** Writes all of `text` on a descriptor that may be non-blocking; gives up if the reader is gone. */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      libc().waitWritable(fd, 1000);
    }
  }
}

/**
 * Flushes C stdio, then ends this call's output on each stream that holds unread bytes. An empty
 * stream needs no marker: everything written to it has already been read by the supervisor,
 * unless the supervisor has already sent the next call (`always`), whose output could then be
 * read before this call's result.
 */
function endOutput(id: number, always = false): { stdout: boolean; stderr: boolean } {
  const c = libc();
  c.flushAll();
  const mark = (fd: number): boolean => {
    if (!always && c.pendingBytes(fd) === 0) return false;
    writeAll(fd, endMarker(id));
    return true;
  };
  return { stdout: mark(1), stderr: mark(2) };
}

function upstreamStatus(phase: Phase, envelope: string): number | null {
  if (phase !== 'response') return null;
  try {
    const status = (JSON.parse(envelope) as { response?: { status?: unknown } }).response?.status;
    return typeof status === 'number' ? status : null;
  } catch {
    return null;
  }
}

function errorResult(id: number, error: string): ResultMessage {
  return {
    t: 'result',
    id,
    outcome: 'error',
    status: null,
    result: null,
    panic: null,
    error,
    durationNs: 0,
    outputBytes: 0,
  };
}

function open(m: OpenMessage): void {
  maxOutputBytes = m.maxOutputBytes;
  try {
    library = new NativeLibrary(m.path, m.maxOutputBytes);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    send({
      t: 'open_error',
      message,
      ...(err instanceof LoadError && err.detail ? { detail: err.detail } : {}),
    });
    return;
  }
  libc();
  const o = library.opened;
  send({
    t: 'ready',
    pid: process.pid,
    kind: 'native',
    studioAbi: o.studioAbi,
    abiVersion: o.abiVersion,
    manifest: o.manifest,
    handlers: (o.manifest?.handlers ?? []).map((h) => ({
      symbol: h.symbol,
      phase: h.phase,
      ...(h.description !== undefined ? { description: h.description } : {}),
    })),
    ...(o.manifestError ? { warnings: [`The manifest was ignored: ${o.manifestError}.`] } : {}),
    pipelining: true,
  });
}

/**
 * Calls the supervisor sent ahead (pipelining) wait here, and each runs only once the result of
 * the one before has been handed to the kernel: a result still queued in this process when the
 * next handler kills it would be lost, and that call would be given the next one's crash. Where
 * the host writes the channel itself, that is so when send() returns, and the calls run back to
 * back; else each waits for Node's callback that the message before it was written.
 */
const waitingCalls: CallMessage[] = [];
let callRunning = false;

function enqueueCalls(calls: CallMessage[]): void {
  waitingCalls.push(...calls);
  runNextCall();
}

function runNextCall(): void {
  if (callRunning) return;
  if (ipcFd !== null) {
    for (let m = waitingCalls.shift(); m; m = waitingCalls.shift()) send(call(m));
    return;
  }
  const m = waitingCalls.shift();
  if (!m) return;
  callRunning = true;
  const result = call(m);
  if (!process.send) return;
  process.send(result, undefined, undefined, () => {
    callRunning = false;
    runNextCall();
  });
}

function call(m: CallMessage): ResultMessage {
  let out: CallOutcome | null = null;
  let failure: string | null = null;
  if (!library) failure = 'The plugin is not loaded.';
  else {
    try {
      const fn = library.handler(m.symbol);
      out = callHandler(
        library,
        fn,
        envelopeBytes(m.envelope),
        m.phase,
        upstreamStatus(m.phase, m.envelope),
        maxOutputBytes,
      );
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
  }
  const markers = endOutput(m.id, m.markers === 'always');
  return out ? { t: 'result', id: m.id, ...out, markers } : { ...errorResult(m.id, failure ?? ''), markers };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

function bench(m: BenchMessage): void {
  if (!library) {
    send({ ...errorResult(m.id, 'The plugin is not loaded.'), markers: endOutput(m.id) });
    return;
  }
  let fn: ReturnType<NativeLibrary['handler']>;
  try {
    fn = library.handler(m.symbol);
  } catch (err) {
    send({ ...errorResult(m.id, (err as Error).message), markers: endOutput(m.id) });
    return;
  }
  const lib = library;
  const input = envelopeBytes(m.envelope);
  const upstream = upstreamStatus(m.phase, m.envelope);
  const n = Math.max(0, Math.floor(m.n));
  // Reused across benches: a fresh 8n-byte array per bench lands in old space and waits for a
  // major GC, which reads as RSS growth in a long session.
  if (latencyBuffer.length < n) latencyBuffer = new Float64Array(n);
  const latencies = latencyBuffer.subarray(0, n);
  const outcomes: Partial<Record<Outcome, number>> = {};
  const count = (o: Outcome, k = 1): void => {
    outcomes[o] = (outcomes[o] ?? 0) + k;
  };
  if (n >= PIPELINE_MIN_CALLS && ring === undefined) ring = BenchRing.start();
  const pipe = ring ?? null;
  pipe?.begin(m.phase, upstream);
  let sample: ResultMessage | null = null;
  let done = 0;
  let busyNs = 0;
  const cpuStart = process.cpuUsage();
  const slice = (): void => {
    const sliceStart = process.hrtime.bigint();
    let now = sliceStart;
    while (done < n) {
      const t0 = now;
      // The first call is classified here: its full result is the bench's sample.
      let r: CallOutcome | null = null;
      if (done > 0 && pipe !== null && pipe.ready) {
        const out = lib.invokeInto(fn, input, pipe.slot());
        if (typeof out === 'number') pipe.publish(out);
        else count(classifyOutput(out, m.phase, upstream, maxOutputBytes).outcome);
      } else r = callHandler(lib, fn, input, m.phase, upstream, maxOutputBytes, false);
      now = process.hrtime.bigint();
      latencies[done] = Number(now - t0);
      if (r) {
        r.durationNs = latencies[done]!;
        count(r.outcome);
        if (sample === null) sample = { t: 'result', id: m.id, ...r };
      }
      done++;
      if (Number(now - sliceStart) > BENCH_SLICE_NS) break;
    }
    if (done === n && pipe !== null) {
      // The rate counts until the last output is checked.
      for (const [o, k] of Object.entries(pipe.drain())) count(o as Outcome, k);
      now = process.hrtime.bigint();
    }
    busyNs += Number(now - sliceStart);
    if (done < n) {
      send({ t: 'bench_progress', id: m.id, done });
      setImmediate(slice);
      return;
    }
    const cpu = process.cpuUsage(cpuStart);
    latencies.sort();
    const result: BenchResultMessage = {
      t: 'bench_result',
      id: m.id,
      bench: {
        calls: n,
        callsPerSecond: busyNs > 0 ? n / (busyNs / 1e9) : 0,
        p50Us: percentile(latencies, 50) / 1000,
        p90Us: percentile(latencies, 90) / 1000,
        p99Us: percentile(latencies, 99) / 1000,
        maxUs: (latencies[n - 1] ?? 0) / 1000,
        outcomes,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      },
      sample,
      markers: endOutput(m.id),
    };
    send(result);
  };
  slice();
}

process.on('message', (raw: unknown) => {
  const m = raw as ToHost;
  switch (m.t) {
    case 'open':
      return open(m);
    case 'call':
      return enqueueCalls([m]);
    case 'calls':
      return enqueueCalls(m.calls);
    case 'bench':
      return bench(m);
  }
});
// The supervisor went away: nobody will read our results.
process.on('disconnect', () => process.exit(0));
