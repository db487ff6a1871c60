/** The shapes of ../shared/ABI.md as TypeScript, and what the engine reports for each call. */

export type Phase = 'request' | 'response';
export type BodyEncoding = 'utf8' | 'base64';
export type HeaderList = [string, string][];

export interface HttpRequestShape {
  method: string;
  /** Always absolute: scheme, host, path, query. */
  url: string;
  proto?: string;
  remote_addr?: string;
  headers: HeaderList;
  body: string;
  body_encoding?: BodyEncoding;
}

export interface HttpResponseShape {
  status: number;
  headers: HeaderList;
  body: string;
  body_encoding?: BodyEncoding;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface LogLine {
  level: LogLevel;
  message: string;
}

/** Every outcome of ABI.md's table, in its order. */
export const OUTCOMES = [
  'continue',
  'respond',
  'reject',
  'panic',
  'error',
  'abi_error',
  'crash',
  'timeout',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes a gateway would carry on from (CLI exit code 0). */
export const OK_OUTCOMES: readonly Outcome[] = ['continue', 'respond', 'reject'];

export interface StackFrame {
  function: string;
  file: string | null;
  line: number | null;
  /** The frame is in the plugin's own code (not the runtime, the SDK or the standard library). */
  plugin: boolean;
}

export interface PanicInfo {
  message: string;
  /** Raw stack text as the plugin reported it. */
  stack: string;
  frames: StackFrame[];
}

export interface CrashInfo {
  /** `SIGSEGV`, null when the process exited. */
  signal: string | null;
  /** "segmentation fault: the plugin read or wrote memory it does not own". */
  signalDescription: string | null;
  exitCode: number | null;
  /** One sentence: what happened. */
  message: string;
  /** What kind of trace was found in stderr, if any. */
  trace: 'go-panic' | 'go-fatal' | 'cpp-terminate' | 'rust-panic' | 'abort' | null;
  /** Message from the parsed trace (`assignment to entry in nil map`). */
  traceMessage: string | null;
  frames: StackFrame[];
  /** Captured stderr up to the crash. */
  stderr: string;
  /** The host was started afresh after the crash, so the next call works. */
  restarted: boolean;
}

export interface CallInput {
  symbol: string;
  phase: Phase;
  request: HttpRequestShape;
  /** Upstream response, for response-phase handlers. */
  response?: HttpResponseShape | null;
  config?: unknown;
  /** Per-call time limit; the host default (10 s) when absent. */
  timeoutMs?: number;
}

export interface CallResult {
  outcome: Outcome;
  symbol: string;
  phase: Phase;
  /** The request as sent to the handler. */
  requestBefore: HttpRequestShape;
  /** The request after the handler (same as requestBefore when unchanged). */
  request: HttpRequestShape;
  /** Response phase: the upstream response as sent to the handler. */
  responseBefore: HttpResponseShape | null;
  /** Request phase: the handler's own answer, if any. Response phase: the response after the handler. */
  response: HttpResponseShape | null;
  logs: LogLine[];
  stdout: string;
  stderr: string;
  panic: PanicInfo | null;
  crash: CrashInfo | null;
  /** A sentence for error, abi_error and timeout (and the plugin's own message for error). */
  error: string | null;
  /** Non-zero status returned by the handler (outcome error). */
  status: number | null;
  durationMs: number;
  inputBytes: number;
  outputBytes: number;
}

export type HostState = 'starting' | 'ready' | 'busy' | 'crashed' | 'restarting' | 'stopped' | 'failed';

export interface HandlerInfo {
  symbol: string;
  phase: Phase | null;
  description?: string;
  /** Go plugins: the handler's Go type. */
  goType?: string;
}

export interface PluginManifest {
  abi: number;
  name?: string;
  version?: string;
  handlers: { symbol: string; phase: Phase; description?: string }[];
}

export interface PluginDescription {
  path: string;
  kind: 'native' | 'go-plugin';
  /** True when the library exports plugin_studio_abi_version (a Studio plugin). */
  studioAbi: boolean;
  abiVersion: number | null;
  manifest: PluginManifest | null;
  /** From the manifest, the Go types, or every candidate export when there is neither. */
  handlers: HandlerInfo[];
  /** Problems that did not stop loading (an unreadable manifest), one sentence each. */
  warnings?: string[];
}

export interface BenchResult {
  calls: number;
  callsPerSecond: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  outcomes: Partial<Record<Outcome, number>>;
  /**
   * CPU time (user + system, every thread of the host) spent while the loop ran, in seconds. On a
   * shared machine calls / cpuSeconds measures the work without the time other processes took.
   */
  cpuSeconds?: number;
  /** The first result, in full, as a normal call would report it. */
  sample: CallResult | null;
}

/** Starts a plugin host process; the one place where child_process and Electron's utilityProcess differ. */
export interface HostProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onStdout(listener: (chunk: Buffer) => void): void;
  onStderr(listener: (chunk: Buffer) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export interface HostLaunch {
  /** Executable: Node itself for the native host, the Go bridge binary for Go plugins. */
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export type HostSpawner = (launch: HostLaunch) => HostProcess;

export interface PluginSessionOptions {
  /** Per-call time limit in ms (default 10,000). */
  timeoutMs?: number;
  /** Largest accepted `*out_len` (default 64 MiB). */
  maxOutputBytes?: number;
  /** How host processes are started (default: Node's child_process). */
  spawn?: HostSpawner;
  /** Go toolchain used to build the Go bridge (default: `go` on PATH). */
  goToolchain?: string;
  /** Tyk gateway version for Tyk's plugin file naming (`name_v5.3.0_linux_amd64.so`). */
  gatewayVersion?: string;
  /** Host state changes and progress (Go bridge build), for a UI. */
  onStatus?: (state: HostState, detail?: string) => void;
  onProgress?: (message: string) => void;
}

/** An opened plugin: one host process, restarted after a crash, a timeout or a reload. */
export interface PluginSession {
  readonly path: string;
  readonly description: PluginDescription;
  readonly state: HostState;
  /** Calls queue: one runs at a time, in order. */
  call(input: CallInput): Promise<CallResult>;
  /** Runs the handler n times inside the host (each result checked as in a normal call). */
  bench(input: CallInput, n: number): Promise<BenchResult>;
  /** Kills the running call (the host restarts); its result has outcome `error` with "cancelled". */
  cancel(): void;
  /** Restarts the host and reads the library again. */
  reload(): Promise<void>;
  close(): Promise<void>;
}
