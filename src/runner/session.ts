/**
 * The supervisor: one plugin host process per opened plugin, calls run one at a time in queue
 * order, a time limit per call, and a fresh host after every crash, timeout, cancel or reload.
 * Every failure of a call becomes a CallResult; only opening a plugin that cannot be loaded throws.
 *
 * Queued calls are pipelined: up to PIPELINE_DEPTH of them are sent to the host before the first
 * result is back, so the host never idles through a round trip. The host still runs them in
 * order, one at a time, and each call's time limit starts when the call before it has finished.
 * When the host dies, the calls that returned keep their results, the call it was running gets the
 * crash (or timeout, or cancel), and the calls sent after it, never run, go back to the front of
 * the queue for the fresh host.
 */
import { StreamCapture } from './capture.js';
import { crashReport } from './crash.js';
import { buildEnvelope, InputError, type BuiltEnvelope } from './envelope.js';
import { endMarker } from './protocol.js';
import type {
  BenchMessage,
  BenchResultMessage,
  CallMessage,
  CallsMessage,
  FromHost,
  ReadyMessage,
  ResultMessage,
} from './protocol.js';
import { emptyBench, failedBench, failedResult, resultFrom } from './results.js';
import { spawnChildHost } from './spawn.js';
import type {
  BenchResult,
  CallInput,
  CallResult,
  HostLaunch,
  HostProcess,
  HostState,
  PluginDescription,
  PluginSession,
  PluginSessionOptions,
} from './types.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const START_TIMEOUT_MS = 30_000;
/**
 * At most this many calls, and about this many bytes of envelopes, are in flight at once: enough
 * to keep the host busy, few enough that a crash re-sends little and large bodies are not all held
 * in the channel at once.
 */
const PIPELINE_DEPTH = 32;
const PIPELINE_BYTES = 8 * 1024 * 1024;
/** Calls go out once this many can: a write per batch costs about what a write per call does. */
const PIPELINE_BATCH = 8;

/** Opening failed: `message` is a sentence for the user, `detail` the loader's own words. */
export class PluginOpenError extends Error {
  override readonly name = 'PluginOpenError';
  constructor(
    message: string,
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

/** The host's own open_error: the loader's words, still to be explained. */
class LoaderRefusal extends PluginOpenError {}

export interface SupervisorConfig {
  path: string;
  /** How to start a host (the Node host, or the Go bridge built for this plugin). */
  launch: () => Promise<HostLaunch>;
  /** Turns the host's ready message into the session's description (adds symbol candidates). */
  describe: (ready: ReadyMessage) => Promise<PluginDescription>;
  /** Turns a load failure into the sentence the user sees. */
  explainOpenError: (message: string, detail: string | null) => Promise<string>;
  options: PluginSessionOptions;
}

interface Host {
  proc: HostProcess;
  out: StreamCapture;
  err: StreamCapture;
  /** Killed on purpose (reload, close): not a crash. */
  retiring: boolean;
  exited: boolean;
  /** The host honours `markers: 'always'`, so calls may be sent before earlier results are read. */
  pipelining: boolean;
}

type Ending = 'crash' | 'timeout' | 'cancel' | 'closed';

type Completion =
  | { kind: 'result'; message: ResultMessage | BenchResultMessage; stdout: string; stderr: string }
  | {
      kind: 'exit';
      reason: Ending;
      code: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
      /** Bench: calls completed before the end, as last reported. */
      progress: number;
      elapsedMs: number;
    };

/** A call or bench sent to a host and not yet completed. */
interface Running {
  id: number;
  host: Host;
  /** When the host began it, as far as the supervisor can tell: sent to an idle host, or the
   * result of the call before it arrived. 0 while calls before it are still running. */
  started: number;
  timeoutMs: number;
  /** When the watchdog was last set for this call (start, or the last sign of bench progress). */
  armedAt: number;
  ending: Ending | null;
  message: ResultMessage | BenchResultMessage | null;
  progress: number;
  /** Sent with `markers: 'always'`: its output ends with a marker, so a call may follow it. */
  marked: boolean;
  /** Envelope bytes, counted against PIPELINE_BYTES. */
  bytes: number;
  complete: (c: Completion) => void;
}

type CallTask = { kind: 'call'; input: CallInput; resolve: (r: CallResult) => void };
type Task =
  | CallTask
  | { kind: 'bench'; input: CallInput; n: number; resolve: (r: BenchResult) => void }
  | { kind: 'reload'; resolve: () => void; reject: (e: Error) => void };

/** A call taken from the queue, in queue order: sent to the host, or failed before it could be. */
type Flight =
  | { task: CallTask; env: BuiltEnvelope; run: Running; done: Promise<Completion> }
  | { task: CallTask; env: null; failure: string };

export class HostSupervisor implements PluginSession {
  readonly path: string;
  private desc!: PluginDescription;
  private stateValue: HostState = 'starting';
  private host: Host | null = null;
  /** Sent to the current host and not completed, oldest first. */
  private inflight: Running[] = [];
  /** Calls taken from the queue whose results are not delivered yet, in queue order. */
  private awaiting: Flight[] = [];
  private readonly queue: Task[] = [];
  private pumping = false;
  private fillScheduled = false;
  /** A bench or reload is under way: nothing else is sent meanwhile. */
  private exclusive = false;
  private closed = false;
  private nextId = 0;
  private watchdog: NodeJS.Timeout | null = null;
  /** When the pending watchdog timer fires (performance.now() time). */
  private watchdogDue = 0;
  private watched: Running | null = null;
  private readonly spawn;
  private readonly timeoutMs: number;
  readonly maxOutputBytes: number;

  private constructor(private readonly config: SupervisorConfig) {
    this.path = config.path;
    this.spawn = config.options.spawn ?? spawnChildHost;
    this.timeoutMs = config.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxOutputBytes = config.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  }

  /** Starts the first host; rejects with PluginOpenError when the plugin cannot be loaded. */
  static async open(config: SupervisorConfig): Promise<HostSupervisor> {
    const s = new HostSupervisor(config);
    s.desc = await s.start();
    return s;
  }

  get description(): PluginDescription {
    return this.desc;
  }

  get state(): HostState {
    return this.stateValue;
  }

  /** The current host process, for diagnostics (its RSS in the memory test); undefined between hosts. */
  get hostPid(): number | undefined {
    return this.host?.proc.pid;
  }

  private setState(state: HostState, detail?: string): void {
    this.stateValue = state;
    this.config.options.onStatus?.(state, detail);
  }

  call(input: CallInput): Promise<CallResult> {
    return new Promise((resolve) => {
      this.queue.push({ kind: 'call', input, resolve });
      this.kick();
    });
  }

  bench(input: CallInput, n: number): Promise<BenchResult> {
    return new Promise((resolve) => {
      this.queue.push({ kind: 'bench', input, n, resolve });
      void this.pump();
    });
  }

  /** The call the host is running: the oldest one sent whose result has not arrived. */
  private get running(): Running | null {
    return this.inflight.find((r) => r.message === null) ?? null;
  }

  cancel(): void {
    const r = this.running;
    if (!r || r.ending) return;
    r.ending = 'cancel';
    r.host.proc.kill();
  }

  reload(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'reload', resolve, reject });
      void this.pump();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const task of this.queue.splice(0)) this.abandon(task);
    const r = this.running;
    if (r && !r.ending) {
      r.ending = 'closed';
      r.host.proc.kill();
    }
    await this.retireHost();
    if (this.watchdog) clearTimeout(this.watchdog);
    this.setState('stopped');
  }

  private abandon(task: Task): void {
    const why = 'The plugin was closed before this call ran.';
    if (task.kind === 'reload') task.reject(new Error(why));
    else if (task.kind === 'call') task.resolve(failedResult(task.input, null, why));
    else task.resolve(failedBench(task.input, why));
  }

  // ---- host processes ---------------------------------------------------------------------------

  /** Starts a host and loads the library in it. */
  private async start(): Promise<PluginDescription> {
    this.setState(this.host === null && this.desc ? 'restarting' : 'starting');
    const launch = await this.config.launch();
    const proc = this.spawn(launch);
    const host: Host = {
      proc,
      out: new StreamCapture(),
      err: new StreamCapture(),
      retiring: false,
      exited: false,
      pipelining: false,
    };
    let opening = true;
    let onReady: ((m: ReadyMessage) => void) | null = null;
    let onFail: ((e: PluginOpenError) => void) | null = null;
    const opened = new Promise<ReadyMessage>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    const timer = setTimeout(() => {
      onFail?.(
        new PluginOpenError(
          `The plugin host did not finish loading the library within ${START_TIMEOUT_MS / 1000} s.`,
        ),
      );
      proc.kill();
    }, START_TIMEOUT_MS);
    proc.onStdout((chunk) => {
      host.out.push(chunk);
      this.maybeFinish(host);
    });
    proc.onStderr((chunk) => {
      host.err.push(chunk);
      this.maybeFinish(host);
    });
    proc.onMessage((raw) => {
      const m = raw as FromHost;
      if (m.t === 'ready') onReady?.(m);
      else if (m.t === 'open_error') onFail?.(new LoaderRefusal(m.message, m.detail ?? null));
      else this.onHostMessage(host, m);
    });
    proc.onExit((code, signal) => {
      host.exited = true;
      if (opening && onFail) {
        const report = crashReport(signal, code, host.err.takeAll(), false);
        const why =
          report.trace || report.signal ? report.message.replace(/\.$/, '') : `exit code ${String(code)}`;
        const last = report.stderr.trim().split('\n').at(-1)?.slice(0, 300);
        onFail(
          new PluginOpenError(
            `The plugin host stopped while loading the library (its initialisation code ran): ${why.charAt(0).toLowerCase()}${why.slice(1)}${last ? `; its last words on stderr: "${last}"` : ''}.`,
            report.stderr.trim() || null,
          ),
        );
        return;
      }
      this.onHostExit(host, code, signal);
    });
    proc.send({ t: 'open', path: this.path, maxOutputBytes: this.maxOutputBytes });
    try {
      const ready = await opened;
      opening = false;
      host.pipelining = ready.pipelining === true;
      const description = await this.config.describe(ready);
      if (host.exited) throw new PluginOpenError('The plugin host stopped right after loading the library.');
      if (this.closed) throw new PluginOpenError('The plugin was closed while its host started.');
      this.host = host;
      this.setState('ready');
      return description;
    } catch (err) {
      host.retiring = true;
      proc.kill();
      if (!this.closed) this.setState('failed', (err as Error).message);
      if (!(err instanceof LoaderRefusal)) throw err;
      throw new PluginOpenError(await this.config.explainOpenError(err.message, err.detail), err.detail);
    } finally {
      clearTimeout(timer);
      onReady = null;
      onFail = null;
    }
  }

  private async ensureHost(): Promise<string | null> {
    if (this.host) return null;
    try {
      this.desc = await this.start();
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }

  private onHostMessage(host: Host, m: FromHost): void {
    const head = this.inflight[0];
    if (!head || head.host !== host) return;
    if (m.t === 'bench_progress') {
      if (m.id === head.id) {
        head.progress = m.done;
        this.arm(head);
      }
      return;
    }
    if (m.t !== 'result' && m.t !== 'bench_result') return;
    const at = this.inflight.findIndex((r) => r.id === m.id);
    const r = this.inflight[at];
    if (!r || r.message) return;
    r.message = m;
    // The host goes straight on to the next call sent: its time limit starts now.
    if (this.watched === r) this.watched = null;
    const next = this.inflight[at + 1];
    if (next && !next.ending) this.startClock(next);
    this.maybeFinish(host);
  }

  /**
   * Completes calls in order, from the oldest, once each one's result and the end markers it
   * announced have arrived. The output before a call's marker is that call's.
   */
  private maybeFinish(host: Host): void {
    for (let r = this.inflight[0]; r; r = this.inflight[0]) {
      if (r.host !== host || !r.message || r.ending) return;
      const markers = r.message.markers ?? { stdout: true, stderr: true };
      if (markers.stdout && !host.out.markerSeen) return;
      if (markers.stderr && !host.err.markerSeen) return;
      this.disarm(r);
      this.inflight.shift();
      const c: Completion = {
        kind: 'result',
        message: r.message,
        stdout: host.out.takeToMarker(),
        stderr: host.err.takeToMarker(),
      };
      const next = this.inflight[0];
      if (next) this.expectOutput(next);
      r.complete(c);
    }
  }

  private onHostExit(host: Host, code: number | null, signal: string | null): void {
    if (this.host === host) this.host = null;
    const flights = this.inflight.filter((r) => r.host === host);
    if (flights.length === 0) {
      if (!host.retiring && !this.closed && this.host === null)
        this.setState('crashed', 'the plugin host stopped between calls');
      return;
    }
    this.inflight = this.inflight.filter((r) => r.host !== host);
    let i = 0;
    // Calls that had returned before the process died keep their results.
    for (; i < flights.length; i++) {
      const r = flights[i]!;
      if (!r.message || r.ending) break;
      this.disarm(r);
      if (i > 0) this.expectOutput(r);
      // Output up to the call's marker when a call followed it, else all that is left (as ever).
      const followed = i + 1 < flights.length;
      r.complete({
        kind: 'result',
        message: r.message,
        stdout: followed ? host.out.takeToMarker() : host.out.takeAll(),
        stderr: followed ? host.err.takeToMarker() : host.err.takeAll(),
      });
    }
    // The call it was running ends with the process.
    const dead = flights[i];
    if (dead) {
      this.disarm(dead);
      dead.complete({
        kind: 'exit',
        reason: dead.ending ?? 'crash',
        code,
        signal,
        stdout: host.out.takeAll(),
        stderr: host.err.takeAll(),
        progress: dead.progress,
        elapsedMs: dead.started ? performance.now() - dead.started : 0,
      });
    }
    // The calls sent after it never ran: back to the front of the queue, in order, for a fresh host.
    const unsent = new Set(flights.slice(i + 1));
    if (unsent.size === 0) return;
    const back = this.awaiting.filter((f) => f.env !== null && unsent.has(f.run));
    this.awaiting = this.awaiting.filter((f) => f.env === null || !unsent.has(f.run));
    this.queue.unshift(...back.map((f) => f.task));
  }

  /** The call's time limit starts: it is the one the host is running now. */
  private startClock(r: Running): void {
    r.started = performance.now();
    this.arm(r);
  }

  /** Output read from now on, up to the call's marker, is this call's. */
  private expectOutput(r: Running): void {
    const marker = Buffer.from(endMarker(r.id));
    r.host.out.expect(marker);
    r.host.err.expect(marker);
  }

  /**
   * One watchdog timer per session, not moved for each call: when it fires early for the call now
   * running (a later call, or a bench's progress, pushed the deadline on), it is set again for the
   * time left. Refreshing a timer per call cost more than the supervisor's other work on a call.
   * Unreferenced: while a call runs, the host's IPC channel keeps the process alive anyway.
   */
  private arm(r: Running): void {
    this.watched = r;
    r.armedAt = performance.now();
    const due = r.armedAt + r.timeoutMs;
    if (this.watchdog && this.watchdogDue <= due) return;
    this.setWatchdog(r.timeoutMs);
  }

  private setWatchdog(ms: number): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdogDue = performance.now() + ms;
    this.watchdog = setTimeout(() => this.onWatchdog(), ms).unref();
  }

  private onWatchdog(): void {
    this.watchdog = null;
    const r = this.watched;
    if (!r || r.ending) return;
    const left = r.timeoutMs - (performance.now() - r.armedAt);
    if (left > 1) return this.setWatchdog(left);
    r.ending = 'timeout';
    r.host.proc.kill();
  }

  private disarm(r: Running): void {
    if (this.watched === r) this.watched = null;
  }

  /**
   * Records a call or bench about to be sent to the host; `done` settles with its completion,
   * whatever form it takes.
   */
  private track(
    host: Host,
    timeoutMs: number,
    marked: boolean,
    bytes: number,
  ): { run: Running; done: Promise<Completion> } {
    const id = ++this.nextId;
    let complete!: (c: Completion) => void;
    const done = new Promise<Completion>((resolve) => (complete = resolve));
    const r: Running = {
      id,
      host,
      started: 0,
      timeoutMs,
      armedAt: 0,
      ending: null,
      message: null,
      progress: 0,
      marked,
      bytes,
      complete,
    };
    this.inflight.push(r);
    if (this.inflight.length === 1) this.expectOutput(r);
    // Timed from now when the host has nothing else to run first.
    if (this.inflight.every((x) => x === r || x.message !== null)) this.startClock(r);
    if (this.stateValue !== 'busy') this.setState('busy');
    return { run: r, done };
  }

  // ---- the queue --------------------------------------------------------------------------------

  /**
   * Gets a new task going. While the queue is being worked through, the calls queued in one turn
   * are sent together, a microtask later.
   */
  private kick(): void {
    if (!this.pumping) {
      void this.pump();
      return;
    }
    if (this.fillScheduled) return;
    this.fillScheduled = true;
    // A resolved promise rather than queueMicrotask, which costs an async resource per call.
    void Promise.resolve().then(() => {
      this.fillScheduled = false;
      this.fill();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        this.fill();
        const flight = this.awaiting.shift();
        if (flight) {
          await this.guarded(flight.task, () => this.deliver(flight));
          continue;
        }
        const task = this.queue.shift();
        if (!task) break;
        await this.guarded(task, () => this.runTask(task));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** A fault of the engine itself fails this task, never the queue behind it. */
  private async guarded(task: Task, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      const why = `The studio failed to run this call: ${err instanceof Error ? err.message : String(err)}`;
      if (task.kind === 'reload') task.reject(new Error(why));
      else if (task.kind === 'call') task.resolve(failedResult(task.input, null, why));
      else task.resolve(failedBench(task.input, why));
    }
  }

  /** A task that fill() could not send: a reload, a bench, or a call waiting for a host. */
  private async runTask(task: Task): Promise<void> {
    if (this.closed) return this.abandon(task);
    if (task.kind === 'call') return this.startHostFor(task);
    this.exclusive = true;
    try {
      if (task.kind === 'reload') await this.runReload(task);
      else task.resolve(await this.runBench(task.input, task.n));
    } finally {
      this.exclusive = false;
    }
  }

  /**
   * Sends queued calls, up to the first bench or reload, while the host may take more, in one
   * message. Topped up once PIPELINE_BATCH calls in flight are back, so that they go out in
   * batches rather than one for each result, and the host never runs dry.
   */
  private fill(): void {
    const host = this.host;
    if (this.closed || this.exclusive || !host) return;
    const last = this.inflight.at(-1);
    if (last && (!last.marked || this.inflight.length > PIPELINE_DEPTH - PIPELINE_BATCH)) return;
    let bytes = 0;
    for (const r of this.inflight) bytes += r.bytes;
    const batch: CallMessage[] = [];
    while (
      this.queue[0]?.kind === 'call' &&
      this.inflight.length < PIPELINE_DEPTH &&
      bytes < PIPELINE_BYTES
    ) {
      const sent = this.prepareCall(host, this.queue.shift() as CallTask);
      if (!sent) continue;
      batch.push(sent);
      bytes += sent.envelope.length;
      if (!sent.markers) break; // nothing may follow it before its result is read
    }
    if (batch.length === 1) host.proc.send(batch[0]);
    else if (batch.length > 1) host.proc.send({ t: 'calls', calls: batch } satisfies CallsMessage);
  }

  /** The message for a call, now in flight; null when the call failed before it could be sent. */
  private prepareCall(host: Host, task: CallTask): CallMessage | null {
    let env: BuiltEnvelope | string;
    try {
      env = this.prepare(task.input);
    } catch (err) {
      env = `The studio failed to run this call: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (typeof env === 'string') {
      this.awaiting.push({ task, env: null, failure: env });
      return null;
    }
    const input = task.input;
    // When another call waits behind this one, ask for markers so that it can be sent right away.
    const marked = host.pipelining && this.queue[0]?.kind === 'call';
    const { run, done } = this.track(host, input.timeoutMs ?? this.timeoutMs, marked, env.json.length);
    this.awaiting.push({ task, env, run, done });
    return {
      t: 'call',
      id: run.id,
      symbol: input.symbol,
      phase: input.phase,
      envelope: env.json,
      ...(marked ? { markers: 'always' } : {}),
    };
  }

  /** Waits for a call's completion and resolves its task. */
  private async deliver(flight: Flight): Promise<void> {
    const { task } = flight;
    if (flight.env === null) return task.resolve(failedResult(task.input, null, flight.failure));
    const c = await flight.done;
    if (c.kind === 'result') {
      this.idle();
      task.resolve(resultFrom(task.input, flight.env, c.message as ResultMessage, c.stdout, c.stderr));
    } else {
      task.resolve(await this.endedResult(task.input, flight.env, c));
    }
  }

  /** Starts a host for a call (after a crash or a failed start); the next fill() sends the call. */
  private async startHostFor(task: CallTask): Promise<void> {
    const env = this.prepare(task.input);
    if (typeof env === 'string') return task.resolve(failedResult(task.input, null, env));
    const startError = await this.ensureHost();
    if (startError !== null || !this.host)
      return task.resolve(failedResult(task.input, env, startError ?? 'The plugin host is not running.'));
    this.queue.unshift(task);
  }

  /** Stops the current host on purpose (no crash report, no restart) and waits until it has exited. */
  private async retireHost(): Promise<void> {
    const h = this.host;
    this.host = null;
    if (!h) return;
    h.retiring = true;
    await new Promise<void>((resolve) => {
      h.proc.onExit(() => resolve());
      h.proc.kill();
    });
  }

  private async runReload(task: Extract<Task, { kind: 'reload' }>): Promise<void> {
    await this.retireHost();
    try {
      this.desc = await this.start();
      task.resolve();
    } catch (err) {
      task.reject(err as Error);
    }
  }

  private prepare(input: CallInput): BuiltEnvelope | string {
    try {
      return buildEnvelope(input);
    } catch (err) {
      if (err instanceof InputError) return err.message;
      throw err;
    }
  }

  private async runBench(input: CallInput, n: number): Promise<BenchResult> {
    const env = this.prepare(input);
    if (typeof env === 'string') return failedBench(input, env);
    const startError = await this.ensureHost();
    const host = this.host;
    if (startError !== null || !host)
      return failedBench(input, startError ?? 'The plugin host is not running.');
    const { run, done } = this.track(host, input.timeoutMs ?? this.timeoutMs, false, env.json.length);
    host.proc.send({
      t: 'bench',
      id: run.id,
      symbol: input.symbol,
      phase: input.phase,
      envelope: env.json,
      n,
    } satisfies BenchMessage);
    const c = await done;
    if (c.kind === 'result') {
      this.idle();
      const m = c.message;
      if (m.t === 'result') {
        // The host refused the bench before its first call (unknown symbol): one failed call.
        const sample = resultFrom(input, env, m, c.stdout, c.stderr);
        return { ...emptyBench(), outcomes: { [sample.outcome]: 1 }, sample };
      }
      const sample = m.sample ? resultFrom(input, env, m.sample, c.stdout, c.stderr) : null;
      return { ...m.bench, sample };
    }
    // The bench stopped at the call that crashed or hung: the calls before it succeeded or
    // failed in the host that died, so only the fatal one is counted.
    const sample = await this.endedResult(input, env, c);
    return { ...emptyBench(), calls: c.progress + 1, outcomes: { [sample.outcome]: 1 }, sample };
  }

  /** Back to ready once nothing is in flight. */
  private idle(): void {
    if (this.host && !this.closed && this.inflight.length === 0) this.setState('ready');
  }

  /** A call that ended with the host's death: crash, timeout, cancel or close. */
  private async endedResult(
    input: CallInput,
    env: BuiltEnvelope,
    c: Extract<Completion, { kind: 'exit' }>,
  ): Promise<CallResult> {
    let restarted = false;
    if (!this.closed) {
      this.setState(c.reason === 'crash' ? 'crashed' : 'restarting', c.reason);
      restarted = (await this.ensureHost()) === null;
    }
    const base = failedResult(input, env, null);
    base.stdout = c.stdout;
    base.stderr = c.stderr;
    base.durationMs = c.elapsedMs;
    const limit = input.timeoutMs ?? this.timeoutMs;
    switch (c.reason) {
      case 'crash': {
        base.outcome = 'crash';
        base.crash = crashReport(c.signal, c.code, c.stderr, restarted);
        base.error = base.crash.message;
        break;
      }
      case 'timeout':
        base.outcome = 'timeout';
        base.error = `The handler ran longer than the ${limit} ms limit; the plugin process was killed${restarted ? ' and started again' : ''}.`;
        break;
      case 'cancel':
        base.outcome = 'error';
        base.error = 'cancelled by the user';
        break;
      case 'closed':
        base.outcome = 'error';
        base.error = 'The plugin was closed while the call ran.';
        break;
    }
    return base;
  }
}
