/**
 * The supervisor: one plugin host process per opened plugin, calls queued one at a time, a time
 * limit per call, and a fresh host after every crash, timeout, cancel or reload. Every failure of
 * a call becomes a CallResult; only opening a plugin that cannot be loaded throws.
 */
import { StreamCapture } from './capture.js';
import { crashReport } from './crash.js';
import { buildEnvelope, InputError, type BuiltEnvelope } from './envelope.js';
import { endMarker } from './protocol.js';
import type { BenchResultMessage, FromHost, ReadyMessage, ResultMessage } from './protocol.js';
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

interface Running {
  id: number;
  host: Host;
  started: number;
  timeoutMs: number;
  /** When the watchdog was last set for this call (start, or the last sign of bench progress). */
  armedAt: number;
  ending: Ending | null;
  message: ResultMessage | BenchResultMessage | null;
  progress: number;
  complete: (c: Completion) => void;
}

type Task =
  | { kind: 'call'; input: CallInput; resolve: (r: CallResult) => void }
  | { kind: 'bench'; input: CallInput; n: number; resolve: (r: BenchResult) => void }
  | { kind: 'reload'; resolve: () => void; reject: (e: Error) => void };

export class HostSupervisor implements PluginSession {
  readonly path: string;
  private desc!: PluginDescription;
  private stateValue: HostState = 'starting';
  private host: Host | null = null;
  private running: Running | null = null;
  private readonly queue: Task[] = [];
  private pumping = false;
  private closed = false;
  private nextId = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private watchdogMs = 0;
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
      void this.pump();
    });
  }

  bench(input: CallInput, n: number): Promise<BenchResult> {
    return new Promise((resolve) => {
      this.queue.push({ kind: 'bench', input, n, resolve });
      void this.pump();
    });
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
    const r = this.running;
    if (!r || r.host !== host) return;
    if (m.t === 'bench_progress' && m.id === r.id) {
      r.progress = m.done;
      this.arm(r);
    } else if ((m.t === 'result' || m.t === 'bench_result') && m.id === r.id) {
      r.message = m;
      this.maybeFinish(host);
    }
  }

  /** Completes the running call once its result and the end markers it announced have arrived. */
  private maybeFinish(host: Host): void {
    const r = this.running;
    if (!r || r.host !== host || !r.message || r.ending) return;
    const markers = r.message.markers ?? { stdout: true, stderr: true };
    if (markers.stdout && !host.out.markerSeen) return;
    if (markers.stderr && !host.err.markerSeen) return;
    this.disarm(r);
    r.complete({
      kind: 'result',
      message: r.message,
      stdout: host.out.takeToMarker(),
      stderr: host.err.takeToMarker(),
    });
  }

  private onHostExit(host: Host, code: number | null, signal: string | null): void {
    if (this.host === host) this.host = null;
    const r = this.running;
    if (r && r.host === host) {
      this.disarm(r);
      if (r.message && !r.ending) {
        // The call had returned; the process died afterwards. The call's result stands.
        r.complete({
          kind: 'result',
          message: r.message,
          stdout: host.out.takeAll(),
          stderr: host.err.takeAll(),
        });
      } else {
        r.complete({
          kind: 'exit',
          reason: r.ending ?? 'crash',
          code,
          signal,
          stdout: host.out.takeAll(),
          stderr: host.err.takeAll(),
          progress: r.progress,
          elapsedMs: performance.now() - r.started,
        });
      }
      return;
    }
    if (!host.retiring && !this.closed && this.host === null)
      this.setState('crashed', 'the plugin host stopped between calls');
  }

  /**
   * One watchdog timer per session, refreshed for each call (cheaper than a new timer per call).
   * Unreferenced: while a call runs, the host's IPC channel keeps the process alive anyway.
   */
  private arm(r: Running): void {
    this.watched = r;
    r.armedAt = performance.now();
    if (this.watchdog && this.watchdogMs === r.timeoutMs) {
      this.watchdog.refresh();
      return;
    }
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdogMs = r.timeoutMs;
    this.watchdog = setTimeout(() => this.onWatchdog(), r.timeoutMs).unref();
  }

  private onWatchdog(): void {
    const r = this.watched;
    if (!r || r.ending) return;
    // A refresh can race a firing that was already due: only a call past its own limit ends.
    const left = r.timeoutMs - (performance.now() - r.armedAt);
    if (left > 1) {
      this.watchdogMs = Number.NaN; // the next arm() starts a timer of its own length again
      this.watchdog = setTimeout(() => this.onWatchdog(), left).unref();
      return;
    }
    r.ending = 'timeout';
    r.host.proc.kill();
  }

  private disarm(r: Running): void {
    if (this.watched === r) this.watched = null;
  }

  /** Sends one call or bench to the host and waits for its completion, whatever form it takes. */
  private dispatch(host: Host, timeoutMs: number, message: (id: number) => object): Promise<Completion> {
    const id = ++this.nextId;
    const marker = Buffer.from(endMarker(id));
    host.out.expect(marker);
    host.err.expect(marker);
    return new Promise((resolve) => {
      const r: Running = {
        id,
        host,
        started: performance.now(),
        timeoutMs,
        armedAt: 0,
        ending: null,
        message: null,
        progress: 0,
        complete: (c) => {
          if (this.running === r) this.running = null;
          resolve(c);
        },
      };
      this.running = r;
      this.setState('busy');
      this.arm(r);
      host.proc.send(message(id));
    });
  }

  // ---- the queue --------------------------------------------------------------------------------

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let task = this.queue.shift(); task; task = this.queue.shift()) {
        try {
          if (this.closed) this.abandon(task);
          else if (task.kind === 'reload') await this.runReload(task);
          else if (task.kind === 'call') task.resolve(await this.runCall(task.input));
          else task.resolve(await this.runBench(task.input, task.n));
        } catch (err) {
          // A fault of the engine itself fails this task, never the queue behind it.
          const why = `The studio failed to run this call: ${err instanceof Error ? err.message : String(err)}`;
          if (task.kind === 'reload') task.reject(new Error(why));
          else if (task.kind === 'call') task.resolve(failedResult(task.input, null, why));
          else task.resolve(failedBench(task.input, why));
        }
      }
    } finally {
      this.pumping = false;
    }
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

  private async runCall(input: CallInput): Promise<CallResult> {
    const env = this.prepare(input);
    if (typeof env === 'string') return failedResult(input, null, env);
    const startError = this.host ? null : await this.ensureHost();
    const host = this.host;
    if (startError !== null || !host)
      return failedResult(input, env, startError ?? 'The plugin host is not running.');
    const c = await this.dispatch(host, input.timeoutMs ?? this.timeoutMs, (id) => ({
      t: 'call',
      id,
      symbol: input.symbol,
      phase: input.phase,
      envelope: env.json,
    }));
    if (c.kind === 'result') {
      this.idle();
      return resultFrom(input, env, c.message as ResultMessage, c.stdout, c.stderr);
    }
    return this.endedResult(input, env, c);
  }

  private async runBench(input: CallInput, n: number): Promise<BenchResult> {
    const env = this.prepare(input);
    if (typeof env === 'string') return failedBench(input, env);
    const startError = await this.ensureHost();
    const host = this.host;
    if (startError !== null || !host)
      return failedBench(input, startError ?? 'The plugin host is not running.');
    const c = await this.dispatch(host, input.timeoutMs ?? this.timeoutMs, (id) => ({
      t: 'bench',
      id,
      symbol: input.symbol,
      phase: input.phase,
      envelope: env.json,
      n,
    }));
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

  private idle(): void {
    if (this.host && !this.closed) this.setState('ready');
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
