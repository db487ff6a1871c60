/**
 * The input envelope of ABI.md: what a handler receives. Built in the engine (the host only passes
 * the bytes on), so the native host and the Go bridge see exactly the same input.
 */
import type { BodyEncoding, CallInput, HttpRequestShape, HttpResponseShape } from './types.js';

export const ABI_VERSION = 1;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** ABI.md: the host sends `utf8` when the bytes are valid UTF-8, `base64` otherwise. */
export function encodeBody(bytes: Uint8Array): { body: string; body_encoding: BodyEncoding } {
  try {
    return { body: utf8Strict.decode(bytes), body_encoding: 'utf8' };
  } catch {
    return { body: Buffer.from(bytes).toString('base64'), body_encoding: 'base64' };
  }
}

/** The bytes a body string stands for. */
export function decodeBody(body: string, encoding: BodyEncoding | undefined): Buffer {
  return encoding === 'base64' ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** Thrown for a request the engine cannot send; `message` is one sentence for the user. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

function checkHeaders(where: string, headers: unknown): void {
  if (!Array.isArray(headers))
    throw new InputError(`${where}.headers must be a list of [name, value] pairs.`);
  headers.forEach((h, i) => {
    if (!Array.isArray(h) || h.length !== 2 || typeof h[0] !== 'string' || typeof h[1] !== 'string')
      throw new InputError(`${where}.headers[${i}] must be a [name, value] pair of strings.`);
  });
}

function normaliseRequest(r: HttpRequestShape): HttpRequestShape {
  if (typeof r.method !== 'string' || r.method === '') throw new InputError('The request needs a method.');
  let url: URL;
  try {
    url = new URL(r.url);
  } catch {
    throw new InputError(`The request URL "${r.url}" is not an absolute URL (scheme, host, path).`);
  }
  checkHeaders('request', r.headers);
  if (typeof r.body !== 'string') throw new InputError('The request body must be a string.');
  return {
    method: r.method,
    url: url.href,
    proto: r.proto ?? 'HTTP/1.1',
    remote_addr: r.remote_addr ?? '127.0.0.1:51000',
    headers: r.headers,
    body: r.body,
    body_encoding: r.body_encoding ?? 'utf8',
  };
}

function normaliseResponse(r: HttpResponseShape): HttpResponseShape {
  if (!Number.isInteger(r.status) || r.status < 100 || r.status > 999)
    throw new InputError(`The upstream status ${String(r.status)} is not an HTTP status code.`);
  checkHeaders('response', r.headers);
  if (typeof r.body !== 'string') throw new InputError('The response body must be a string.');
  return { status: r.status, headers: r.headers, body: r.body, body_encoding: r.body_encoding ?? 'utf8' };
}

export interface BuiltEnvelope {
  /** The serialised envelope, the exact bytes the handler receives. */
  json: string;
  request: HttpRequestShape;
  response: HttpResponseShape | null;
}

/** Builds the envelope of a call; throws InputError for a request that cannot be sent. */
export function buildEnvelope(input: CallInput): BuiltEnvelope {
  const request = normaliseRequest(input.request);
  const response =
    input.phase === 'response'
      ? normaliseResponse(input.response ?? { status: 200, headers: [], body: '' })
      : null;
  const json = JSON.stringify({
    abi: ABI_VERSION,
    phase: input.phase,
    request,
    response,
    config: input.config ?? {},
  });
  return { json, request, response };
}
