/**
 * The composer's editable state and its conversions to and from the contract's CallInput (a call,
 * a history entry or a fixture all open into the composer the same way).
 */
import {
  FIXTURE_VERSION,
  type CallInput,
  type Fixture,
  type HttpRequestShape,
  type HttpResponseShape,
  type Phase,
} from '../api.js';
import { bodyFromFormRows, formRowsFromBody } from '../lib/form-body.js';
import { pairsFromRows, row, rowsFromPairs, type Row } from '../lib/rows.js';
import { syncRowsFromUrl } from '../lib/url-params.js';

export type BodyMode = 'json' | 'text' | 'form' | 'binary';

export interface ComposerState {
  symbol: string;
  phase: Phase;
  method: string;
  url: string;
  params: Row[];
  headers: Row[];
  bodyMode: BodyMode;
  bodyText: string;
  formRows: Row[];
  /** Binary body, base64, and where it came from. */
  binary: { name: string; base64: string; size: number } | null;
  configText: string;
  upstream: { status: number; headers: Row[]; bodyText: string };
  timeoutMs: number;
  /** Carried through unchanged from an opened call or fixture (not edited here). */
  proto?: string;
  remoteAddr?: string;
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function emptyComposer(): ComposerState {
  const url = 'http://api.example.com/orders?id=7';
  return {
    symbol: '',
    phase: 'request',
    method: 'GET',
    url,
    params: syncRowsFromUrl(url, []),
    headers: [row('Accept', 'application/json')],
    bodyMode: 'json',
    bodyText: '',
    formRows: [],
    binary: null,
    configText: '{}',
    upstream: {
      status: 200,
      headers: [row('Content-Type', 'application/json'), row('Server', 'upstream/1.0')],
      bodyText: '{"message": "hello from upstream"}',
    },
    timeoutMs: 10_000,
  };
}

function header(rows: readonly Row[], name: string): string | undefined {
  return rows.find((r) => r.enabled && r.name.toLowerCase() === name.toLowerCase())?.value;
}

function modeFor(headers: readonly [string, string][], body: string, encoding: string | undefined): BodyMode {
  if (encoding === 'base64') return 'binary';
  const ct = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1].toLowerCase() ?? '';
  if (ct.includes('x-www-form-urlencoded')) return 'form';
  if (ct.includes('json')) return 'json';
  const t = body.trimStart();
  if (body === '' || t.startsWith('{') || t.startsWith('[')) return 'json';
  return 'text';
}

export class ComposerError extends Error {}

export function requestFromComposer(s: ComposerState): HttpRequestShape {
  const headers = pairsFromRows(s.headers);
  let body = '';
  let body_encoding: 'utf8' | 'base64' = 'utf8';
  switch (s.bodyMode) {
    case 'json':
    case 'text':
      body = s.bodyText;
      break;
    case 'form':
      body = bodyFromFormRows(s.formRows);
      if (!header(s.headers, 'content-type') && body !== '')
        headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
      break;
    case 'binary':
      if (s.binary) {
        body = s.binary.base64;
        body_encoding = 'base64';
      }
      break;
  }
  let url = s.url.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url.replace(/^\/+/, '')}`;
  return {
    method: s.method.toUpperCase(),
    url,
    ...(s.proto !== undefined ? { proto: s.proto } : {}),
    ...(s.remoteAddr !== undefined ? { remote_addr: s.remoteAddr } : {}),
    headers,
    body,
    body_encoding,
  };
}

export function parseConfig(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ComposerError(
      `The config is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`,
    );
  }
}

export function upstreamFromComposer(s: ComposerState): HttpResponseShape {
  return { status: s.upstream.status, headers: pairsFromRows(s.upstream.headers), body: s.upstream.bodyText };
}

export function callInputFromComposer(s: ComposerState): CallInput {
  if (s.symbol === '') throw new ComposerError('Choose a handler to run (from the list of symbols).');
  const input: CallInput = {
    symbol: s.symbol,
    phase: s.phase,
    request: requestFromComposer(s),
    config: parseConfig(s.configText),
    timeoutMs: s.timeoutMs,
  };
  if (s.phase === 'response') input.response = upstreamFromComposer(s);
  return input;
}

function decodeBase64Length(b64: string): number {
  return Math.floor((b64.replace(/=+$/, '').length * 3) / 4);
}

export function composerFromCall(input: {
  symbol: string;
  phase: Phase;
  request: HttpRequestShape;
  response?: HttpResponseShape | null;
  config?: unknown;
  timeoutMs?: number;
}): ComposerState {
  const base = emptyComposer();
  const r = input.request;
  const mode = modeFor(r.headers, r.body, r.body_encoding);
  const upstream = input.response ?? null;
  return {
    ...base,
    symbol: input.symbol,
    phase: input.phase,
    method: r.method,
    url: r.url,
    params: syncRowsFromUrl(r.url, []),
    headers: rowsFromPairs(r.headers),
    bodyMode: mode,
    bodyText: mode === 'binary' ? '' : r.body,
    formRows: mode === 'form' ? formRowsFromBody(r.body) : [],
    binary: mode === 'binary' ? { name: 'body', base64: r.body, size: decodeBase64Length(r.body) } : null,
    configText: JSON.stringify(input.config ?? {}, null, 2),
    upstream: upstream
      ? {
          status: upstream.status,
          headers: rowsFromPairs(upstream.headers),
          bodyText: upstream.body_encoding === 'base64' ? atob(upstream.body) : upstream.body,
        }
      : base.upstream,
    timeoutMs: input.timeoutMs ?? base.timeoutMs,
    ...(r.proto !== undefined ? { proto: r.proto } : {}),
    ...(r.remote_addr !== undefined ? { remoteAddr: r.remote_addr } : {}),
  };
}

export function composerFromFixture(f: Fixture): ComposerState {
  return composerFromCall({
    symbol: f.target.symbol ?? '',
    phase: f.target.phase,
    request: f.request,
    response: f.response ?? null,
    config: f.config,
  });
}

/** The fixture the composer's request becomes (expectations are kept from the fixture opened). */
export function fixtureFromComposer(s: ComposerState, name: string, previous: Fixture | null): Fixture {
  const f: Fixture = {
    version: FIXTURE_VERSION,
    name,
    target: { symbol: s.symbol, phase: s.phase },
    request: requestFromComposer(s),
  };
  const config = parseConfig(s.configText);
  const emptyConfig = typeof config === 'object' && config !== null && Object.keys(config).length === 0;
  if (!emptyConfig || previous?.config !== undefined) f.config = config;
  if (previous?.description !== undefined) f.description = previous.description;
  if (s.phase === 'response') f.response = upstreamFromComposer(s);
  if (previous?.expect !== undefined) f.expect = previous.expect;
  return f;
}
