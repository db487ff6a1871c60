/**
 * The result envelope of ABI.md: validation with "which field has the wrong shape" messages, and
 * the outcome table. Runs inside the plugin host for every call (and every bench iteration), so it
 * is hand-written and allocation-light rather than schema-driven.
 */
import type { ResultEnvelope } from './protocol.js';
import type { HttpResponseShape, Outcome, Phase } from './types.js';

const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error']);

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function headersError(where: string, v: unknown): string | null {
  if (!Array.isArray(v)) return `${where} must be a list of [name, value] pairs, not ${kind(v)}`;
  for (let i = 0; i < v.length; i++) {
    const h: unknown = v[i];
    if (!Array.isArray(h) || h.length !== 2 || typeof h[0] !== 'string' || typeof h[1] !== 'string')
      return `${where}[${i}] must be a [name, value] pair of strings`;
  }
  return null;
}

function bodyError(where: string, o: Record<string, unknown>): string | null {
  if (o.body !== undefined && typeof o.body !== 'string')
    return `${where}.body must be a string, not ${kind(o.body)}`;
  const enc = o.body_encoding;
  if (enc !== undefined && enc !== 'utf8' && enc !== 'base64')
    return `${where}.body_encoding must be "utf8" or "base64"`;
  return null;
}

function requestError(v: unknown): string | null {
  if (!isObject(v)) return `request must be an object, not ${kind(v)}`;
  for (const f of ['method', 'url', 'proto', 'remote_addr'] as const)
    if (v[f] !== undefined && typeof v[f] !== 'string')
      return `request.${f} must be a string, not ${kind(v[f])}`;
  if (v.headers !== undefined) {
    const e = headersError('request.headers', v.headers);
    if (e) return e;
  }
  return bodyError('request', v);
}

function responseError(v: unknown): string | null {
  if (!isObject(v)) return `response must be an object, not ${kind(v)}`;
  const s = v.status;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 100 || s > 999)
    return `response.status must be an HTTP status code (an integer from 100 to 999), not ${typeof s === 'number' ? s : kind(s)}`;
  if (v.headers !== undefined) {
    const e = headersError('response.headers', v.headers);
    if (e) return e;
  }
  return bodyError('response', v);
}

function logsError(v: unknown): string | null {
  if (!Array.isArray(v)) return `logs must be a list, not ${kind(v)}`;
  for (let i = 0; i < v.length; i++) {
    const l: unknown = v[i];
    if (!isObject(l)) return `logs[${i}] must be an object with level and message`;
    if (typeof l.level !== 'string' || !LOG_LEVELS.has(l.level))
      return `logs[${i}].level must be one of debug, info, warn, error`;
    if (typeof l.message !== 'string') return `logs[${i}].message must be a string, not ${kind(l.message)}`;
  }
  return null;
}

function panicError(v: unknown): string | null {
  if (!isObject(v)) return `panic must be an object, not ${kind(v)}`;
  if (typeof v.message !== 'string') return `panic.message must be a string, not ${kind(v.message)}`;
  if (v.stack !== undefined && typeof v.stack !== 'string')
    return `panic.stack must be a string, not ${kind(v.stack)}`;
  return null;
}

/** Returns why a parsed result envelope has the wrong shape, or null when it is valid. */
export function resultShapeError(v: unknown): string | null {
  if (!isObject(v)) return `the result must be a JSON object, not ${kind(v)}`;
  if (v.request !== undefined && v.request !== null) {
    const e = requestError(v.request);
    if (e) return e;
  }
  if (v.response !== undefined && v.response !== null) {
    const e = responseError(v.response);
    if (e) return e;
  }
  if (v.logs !== undefined && v.logs !== null) {
    const e = logsError(v.logs);
    if (e) return e;
  }
  if (v.panic !== undefined && v.panic !== null) {
    const e = panicError(v.panic);
    if (e) return e;
  }
  return null;
}

export type ParsedResult = { ok: true; envelope: ResultEnvelope } | { ok: false; error: string };

/** JSON text of a handler's output to a validated envelope; `error` says what was wrong. */
export function parseResult(text: string): ParsedResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `the output is not JSON (${why})` };
  }
  const e = resultShapeError(v);
  if (e) return { ok: false, error: `the output has the wrong shape: ${e}` };
  // null fields mean "absent" in the ABI; drop them so consumers only test for undefined.
  const o = v as Record<string, unknown>;
  if (o.request === null) delete o.request;
  if (o.response === null) delete o.response;
  if (o.logs === null) delete o.logs;
  if (o.panic === null) delete o.panic;
  return { ok: true, envelope: o as ResultEnvelope };
}

/** ABI.md's outcome table for a call that returned status 0 with a valid envelope. */
export function classify(
  phase: Phase,
  result: ResultEnvelope,
  upstream: Pick<HttpResponseShape, 'status'> | null,
): Outcome {
  if (result.panic) return 'panic';
  const r = result.response;
  if (phase === 'request') {
    if (!r) return 'continue';
    return r.status >= 400 ? 'reject' : 'respond';
  }
  // Response phase: an unchanged status is the upstream's own answer passed on, whatever it is.
  if (!r || r.status < 400 || (upstream !== null && r.status === upstream.status)) return 'continue';
  return 'reject';
}
