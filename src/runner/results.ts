/** CallResult and BenchResult as the supervisor reports them, from host messages or failures. */
import type { BuiltEnvelope } from './envelope.js';
import type { ResultMessage } from './protocol.js';
import type { BenchResult, CallInput, CallResult, HttpResponseShape } from './types.js';

export function emptyBench(): Omit<BenchResult, 'sample'> {
  return { calls: 0, callsPerSecond: 0, p50Us: 0, p90Us: 0, p99Us: 0, maxUs: 0, outcomes: {} };
}

/** A call that produced no result of its own: outcome `error` with `error`, to be refined by the caller. */
export function failedResult(input: CallInput, env: BuiltEnvelope | null, error: string | null): CallResult {
  const request = env?.request ?? input.request;
  const responseBefore = env ? env.response : (input.response ?? null);
  return {
    outcome: 'error',
    symbol: input.symbol,
    phase: input.phase,
    requestBefore: request,
    request,
    responseBefore,
    response: input.phase === 'response' ? responseBefore : null,
    logs: [],
    stdout: '',
    stderr: '',
    panic: null,
    crash: null,
    error,
    status: null,
    durationMs: 0,
    inputBytes: env ? Buffer.byteLength(env.json) : 0,
    outputBytes: 0,
  };
}

export function failedBench(input: CallInput, error: string): BenchResult {
  return { ...emptyBench(), outcomes: { error: 1 }, sample: failedResult(input, null, error) };
}

/** A body without body_encoding is utf8 (ABI.md), whatever the encoding of the body it replaces. */
function withEncoding<T extends { body?: string; body_encoding?: string }>(part: T): T {
  return part.body !== undefined && part.body_encoding === undefined
    ? { ...part, body_encoding: 'utf8' }
    : part;
}

/**
 * The host's result message as a CallResult. Fields the handler left out of its envelope keep
 * their values from before the call (ABI.md: absent = unchanged).
 */
export function resultFrom(
  input: CallInput,
  env: BuiltEnvelope,
  m: ResultMessage,
  stdout: string,
  stderr: string,
): CallResult {
  const r = m.result;
  const request = r?.request ? { ...env.request, ...withEncoding(r.request) } : env.request;
  let response: HttpResponseShape | null;
  if (input.phase === 'request')
    response = r?.response
      ? { headers: [], body: '', ...(r.response as Partial<HttpResponseShape>), status: r.response.status }
      : null;
  else
    response = r?.response
      ? { ...(env.response ?? { headers: [], body: '' }), ...withEncoding(r.response) }
      : env.response;
  return {
    outcome: m.outcome,
    symbol: input.symbol,
    phase: input.phase,
    requestBefore: env.request,
    request,
    responseBefore: env.response,
    response,
    logs: r?.logs ?? [],
    stdout,
    stderr,
    panic: m.panic,
    crash: null,
    error: m.error,
    status: m.status,
    durationMs: m.durationNs / 1e6,
    inputBytes: Buffer.byteLength(env.json),
    outputBytes: m.outputBytes,
  };
}
