/**
 * The plugin host protocol. The supervisor and a host process (the Node/koffi host for native
 * plugins, the Go bridge for Go plugins) exchange JSON messages over Node's IPC channel: the
 * child is spawned with stdio ['pipe', 'pipe', 'pipe', 'ipc'] and `serialization: 'json'`, so the
 * channel is newline-delimited JSON on the file descriptor named by NODE_CHANNEL_FD. The plugin's
 * own stdout and stderr (fd 1 and 2) are pipes the supervisor captures; they never carry protocol
 * messages, so nothing a plugin prints can corrupt the protocol.
 *
 * Output attribution: after each call the host flushes C stdio (fflush(NULL)), then writes
 * endMarker(id) to fd 1 and to fd 2, then sends the `result` message. The supervisor gives a call
 * the bytes before its marker on each stream; after a crash, everything read until the exit.
 * A host may skip the marker on a stream whose written bytes have all been read by the supervisor
 * (then every byte of this call has reached the supervisor before the result message can), and
 * says so in `markers`; without `markers` the supervisor expects both. Asking "unread bytes on my
 * write end" depends on what fd 1/2 are: Node's child_process gives socket pairs, where only
 * SIOCOUTQ (0x5411) answers it (FIONREAD on a socket counts bytes waiting to be read on this
 * end: always 0 here); pipes (Electron) answer FIONREAD (0x541B) on either end. When unsure,
 * write the marker.
 *
 * Pipelining: the supervisor may send a call before it has read the result of the one before.
 * Output skipped by a missing marker could then be mistaken for the next call's, so such a call is
 * sent with `markers: 'always'` and the host ends both streams with the marker whatever it can tell
 * about them. Calls sent together go in one `calls` message (one write instead of one per call);
 * the host runs them in order and answers each with its own `result`, as if sent one by one. A
 * host that honours both says `pipelining: true` in its ready message; to one that does not, the
 * supervisor sends one call at a time.
 *
 * A bench runs its loop in slices and sends `bench_progress` between them, so the supervisor can
 * tell a slow bench from a hung handler: the time limit runs from the last sign of life.
 */
import type {
  BenchResult,
  HandlerInfo,
  LogLine,
  Outcome,
  PanicInfo,
  Phase,
  PluginManifest,
  HttpRequestShape,
  HttpResponseShape,
} from './types.js';

export const PROTOCOL_VERSION = 1;

export function endMarker(id: number): string {
  return `\u001ePLUGIN-STUDIO-END ${id}\u001e`;
}

/** The result envelope of ABI.md after validation (every field optional). */
export interface ResultEnvelope {
  request?: HttpRequestShape;
  response?: HttpResponseShape;
  logs?: LogLine[];
  panic?: { message: string; stack?: string };
}

// Supervisor -> host
export interface OpenMessage {
  t: 'open';
  path: string;
  maxOutputBytes: number;
}
export interface CallMessage {
  t: 'call';
  id: number;
  symbol: string;
  phase: Phase;
  /** The input envelope (ABI.md), already serialised: the host passes these bytes to the handler. */
  envelope: string;
  /** Write the end marker on both streams, even on a stream known to be read to the end. */
  markers?: 'always';
}
export interface BenchMessage {
  t: 'bench';
  id: number;
  symbol: string;
  phase: Phase;
  envelope: string;
  n: number;
}
/** Several calls, run in order exactly as if each had come in a message of its own. */
export interface CallsMessage {
  t: 'calls';
  calls: CallMessage[];
}
export type ToHost = OpenMessage | CallMessage | CallsMessage | BenchMessage;

// Host -> supervisor
export interface ReadyMessage {
  t: 'ready';
  pid: number;
  kind: 'native' | 'go-plugin';
  studioAbi: boolean;
  abiVersion: number | null;
  manifest: PluginManifest | null;
  handlers: HandlerInfo[];
  /** Go bridge: every exported symbol with its Go type. */
  goSymbols?: { name: string; goType: string; role: 'request' | 'response' | 'other' }[];
  /** Problems that do not stop the plugin from loading (an unreadable manifest). */
  warnings?: string[];
  /** The host honours `markers: 'always'` on calls, so calls may be pipelined to it. */
  pipelining?: boolean;
}
export interface OpenErrorMessage {
  t: 'open_error';
  /** A sentence for the user (load diagnostics). */
  message: string;
  /** The raw loader text (dlerror, Go's plugin.Open error). */
  detail?: string;
}
export interface ResultMessage {
  t: 'result';
  id: number;
  outcome: Outcome;
  /** Handler return value (native ABI); null when not applicable. */
  status: number | null;
  result: ResultEnvelope | null;
  panic: PanicInfo | null;
  error: string | null;
  durationNs: number;
  outputBytes: number;
  /** Which streams carry this call's end marker; absent = both. */
  markers?: { stdout: boolean; stderr: boolean };
}
export interface BenchProgressMessage {
  t: 'bench_progress';
  id: number;
  /** Calls completed so far. */
  done: number;
}
export interface BenchResultMessage {
  t: 'bench_result';
  id: number;
  bench: Omit<BenchResult, 'sample'>;
  sample: ResultMessage | null;
  /** As in ResultMessage, for the whole bench. */
  markers?: { stdout: boolean; stderr: boolean };
}
export type FromHost =
  ReadyMessage | OpenErrorMessage | ResultMessage | BenchProgressMessage | BenchResultMessage;
