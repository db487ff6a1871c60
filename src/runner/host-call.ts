/**
 * One handler call inside the plugin host, from raw output to a classified result message. The
 * bench runs exactly this per iteration, so a bench does every check a real call does.
 */
import type { NativeLibrary, RawOutput } from './native-library.js';
import { classify, parseResult } from './outcome.js';
import { parseGoFrames } from './crash.js';
import type { ResultMessage } from './protocol.js';
import type { PanicInfo, Phase } from './types.js';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const MAX_ERROR_MESSAGE = 64 * 1024;

export type CallOutcome = Omit<ResultMessage, 't' | 'id'>;

/** Offset of the first byte that breaks UTF-8, or -1. Only run after a strict decode failed. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    if (i + n >= b.length) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * UTF-8 text of the output, or null when it is not valid UTF-8. Node's decoder replaces every
 * invalid sequence with U+FFFD, so text without U+FFFD came from valid bytes; only text with one
 * (rare) pays for the strict decoder.
 */
function decodeUtf8(bytes: Buffer): string | null {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD')) return text;
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return null;
  }
}

function panicInfo(p: { message: string; stack?: string }): PanicInfo {
  const stack = p.stack ?? '';
  return { message: p.message, stack, frames: stack ? parseGoFrames(stack) : [] };
}

function fail(
  outcome: 'error' | 'abi_error',
  status: number,
  error: string,
  raw: { durationNs: number; length: number },
): CallOutcome {
  return {
    outcome,
    status,
    result: null,
    panic: null,
    error,
    durationNs: raw.durationNs,
    outputBytes: raw.length,
  };
}

/** Calls the handler once and classifies what came back (ABI.md's outcome table). */
export function callHandler(
  lib: NativeLibrary,
  fn: ReturnType<NativeLibrary['handler']>,
  input: Buffer,
  phase: Phase,
  upstreamStatus: number | null,
  maxOutputBytes: number,
  timed = true,
): CallOutcome {
  return classifyOutput(lib.invoke(fn, input, timed), phase, upstreamStatus, maxOutputBytes);
}

/**
 * What one call's raw output means: error, abi_error with what was wrong, or a validated envelope
 * and its outcome. Needs nothing but the bytes, so a bench can run it on another thread.
 */
export function classifyOutput(
  raw: RawOutput,
  phase: Phase,
  upstreamStatus: number | null,
  maxOutputBytes: number,
): CallOutcome {
  if (raw.status !== 0) {
    let message: string | null = null;
    if (raw.bytes && raw.length > 0)
      message = raw.bytes.subarray(0, Math.min(raw.length, MAX_ERROR_MESSAGE)).toString('utf8');
    else if (!raw.isNull && raw.length > maxOutputBytes)
      message = `The handler returned status ${raw.status}; its message claims ${raw.lengthText || raw.length} bytes, over the ${maxOutputBytes}-byte limit.`;
    return fail(
      'error',
      raw.status,
      message ?? `The handler returned status ${raw.status} without a message.`,
      raw,
    );
  }
  if (raw.isNull)
    return fail(
      'abi_error',
      0,
      'The handler returned 0 (success) but left *out NULL; a successful handler must return a result envelope, at least "{}".',
      raw,
    );
  if (raw.bytes === null)
    return fail(
      'abi_error',
      0,
      `The handler set *out_len to ${raw.lengthText || raw.length} bytes, over the limit of ${maxOutputBytes} bytes.`,
      raw,
    );
  const text = decodeUtf8(raw.bytes);
  if (text === null) {
    return fail(
      'abi_error',
      0,
      `The output is not valid UTF-8 (bad byte at offset ${firstInvalidUtf8(raw.bytes)}).`,
      raw,
    );
  }
  const parsed = parseResult(text);
  if (!parsed.ok) {
    const e = parsed.error;
    return fail('abi_error', 0, `${e.charAt(0).toUpperCase()}${e.slice(1)}.`, raw);
  }
  const env = parsed.envelope;
  const outcome = classify(phase, env, upstreamStatus === null ? null : { status: upstreamStatus });
  return {
    outcome,
    status: 0,
    result: env,
    panic: env.panic ? panicInfo(env.panic) : null,
    error: null,
    durationNs: raw.durationNs,
    outputBytes: raw.length,
  };
}
