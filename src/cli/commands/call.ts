/**
 * `plugin-studio call`: runs one handler against a request built from curl-like flags and shows
 * what it did. The request flags are shared with `bench`.
 */
import fs from 'node:fs';
import { parseCommandLine, UsageError } from '../usage.js';
import type {
  CallInput,
  CallResult,
  HeaderList,
  HttpRequestShape,
  HttpResponseShape,
  Phase,
  PluginSession,
  StackFrame,
} from '../../runner/types.js';

export const REQUEST_USAGE = `Request:
  --phase request|response   handler phase (default: the manifest's, else request)
  -X, --request METHOD       request method (default GET, POST with a body)
  --url URL                  absolute request URL (default http://localhost/)
  -H, --header 'Name: value' request header, repeatable, order kept
  --data TEXT                request body
  --data-binary @FILE        request body from a file (base64 in the envelope when not UTF-8)
  --upstream-status N        response phase: the upstream status (default 200)
  --upstream-header 'N: v'   response phase: an upstream header, repeatable
  --upstream-body TEXT       response phase: the upstream body
  --config JSON              the plugin's config object (default {})
  --timeout MS               time limit for one call (default 10000)`;

export const usage = `Usage: plugin-studio call PLUGIN SYMBOL [options]

Runs the handler SYMBOL of PLUGIN once, in a separate plugin host process, and shows the outcome,
what changed in the request, the response, logs, captured stdout/stderr and any panic or crash.

${REQUEST_USAGE}
  --json                     print one JSON object (outcome, request, response, logs, stdout,
                             stderr, panic, crash, durationMs, ...)

Exit codes: 0 continue, respond or reject; 1 panic, error, abi_error, crash or timeout;
2 usage error; 3 the plugin cannot be opened.
`;

export const REQUEST_OPTIONS = {
  phase: { type: 'string' },
  request: { type: 'string', short: 'X' },
  url: { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string' },
  'data-binary': { type: 'string' },
  'upstream-status': { type: 'string' },
  'upstream-header': { type: 'string', multiple: true },
  'upstream-body': { type: 'string' },
  config: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface RequestFlags {
  phase?: string;
  request?: string;
  url?: string;
  header?: string[];
  data?: string;
  'data-binary'?: string;
  'upstream-status'?: string;
  'upstream-header'?: string[];
  'upstream-body'?: string;
  config?: string;
  timeout?: string;
}

function parseHeader(flag: string, text: string): [string, string] {
  const i = text.indexOf(':');
  if (i <= 0) throw new UsageError(`${flag} "${text}" is not "Name: value".`);
  return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}

function positiveInt(flag: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max)
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}, not "${text}".`);
  return Number(text);
}

/** The CallInput the flags describe; the phase defaults to the manifest's for this symbol. */
export async function callInputFromFlags(
  symbol: string,
  v: RequestFlags,
  session: PluginSession | null,
): Promise<CallInput> {
  const { encodeBody } = await import('../../runner/envelope.js');
  if (v.phase !== undefined && v.phase !== 'request' && v.phase !== 'response')
    throw new UsageError(`--phase must be request or response, not "${v.phase}".`);
  if (v.data !== undefined && v['data-binary'] !== undefined)
    throw new UsageError('use either --data or --data-binary, not both.');
  let body: { body: string; body_encoding: 'utf8' | 'base64' } = { body: '', body_encoding: 'utf8' };
  if (v.data !== undefined) body = { body: v.data, body_encoding: 'utf8' };
  const bin = v['data-binary'];
  if (bin !== undefined) {
    if (bin.startsWith('@')) {
      try {
        body = encodeBody(fs.readFileSync(bin.slice(1)));
      } catch (err) {
        throw new UsageError(
          `--data-binary: cannot read ${bin.slice(1)} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
        );
      }
    } else body = encodeBody(Buffer.from(bin, 'utf8'));
  }
  const url = v.url ?? 'http://localhost/';
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url "${url}" is not an absolute URL (like http://api.example.com/path).`);
  }
  const hasBody = v.data !== undefined || bin !== undefined;
  const request: HttpRequestShape = {
    method: v.request ?? (hasBody ? 'POST' : 'GET'),
    url,
    headers: (v.header ?? []).map((h) => parseHeader('-H', h)),
    ...body,
  };
  const manifestPhase = session?.description.handlers.find((h) => h.symbol === symbol)?.phase ?? null;
  const phase: Phase = (v.phase as Phase | undefined) ?? manifestPhase ?? 'request';
  let response: HttpResponseShape | null = null;
  if (phase === 'response') {
    response = {
      status: v['upstream-status'] ? positiveInt('--upstream-status', v['upstream-status'], 999) : 200,
      headers: (v['upstream-header'] ?? []).map((h) => parseHeader('--upstream-header', h)),
      body: v['upstream-body'] ?? '',
      body_encoding: 'utf8',
    };
  }
  let config: unknown = {};
  if (v.config !== undefined) {
    try {
      config = JSON.parse(v.config);
    } catch (err) {
      throw new UsageError(`--config is not valid JSON (${(err as Error).message}).`);
    }
  }
  return {
    symbol,
    phase,
    request,
    response,
    config,
    ...(v.timeout !== undefined ? { timeoutMs: positiveInt('--timeout', v.timeout) } : {}),
  };
}

/** Opens the plugin for a command; prints the reason and returns null when it cannot be opened. */
export async function openForCommand(
  command: string,
  plugin: string,
  timeoutMs?: number,
): Promise<PluginSession | null> {
  const { openPlugin } = await import('../../runner/index.js');
  try {
    return await openPlugin(plugin, timeoutMs ? { timeoutMs } : {});
  } catch (err) {
    process.stderr.write(`plugin-studio ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return null;
  }
}

// ---- human output ---------------------------------------------------------------------------------

const OUTCOME_WORDS: Record<CallResult['outcome'], string> = {
  continue: 'the request goes on up the chain',
  respond: 'the handler answered the request itself',
  reject: 'the handler rejected the request',
  panic: 'the handler panicked (a gateway would answer 500)',
  error: 'the handler failed',
  abi_error: 'the handler broke the plugin ABI',
  crash: 'the plugin process died',
  timeout: 'the handler ran out of time',
};

function indent(text: string, prefix = '  '): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function bodyText(b: { body: string; body_encoding?: string }): string {
  if (b.body_encoding === 'base64')
    return `(${Buffer.from(b.body, 'base64').length} bytes, base64) ${b.body}`;
  return b.body;
}

function headerKey(h: [string, string]): string {
  return `${h[0].toLowerCase()}\u0000${h[1]}`;
}

/** What the handler changed in the request, one line per change. */
export function requestChanges(before: HttpRequestShape, after: HttpRequestShape): string[] {
  const out: string[] = [];
  if (before.method !== after.method) out.push(`method: ${before.method} -> ${after.method}`);
  if (before.url !== after.url) out.push(`url: ${before.url} -> ${after.url}`);
  const removed = multisetMinus(before.headers, after.headers);
  const added = multisetMinus(after.headers, before.headers);
  for (const [n, v] of removed) out.push(`- ${n}: ${v}`);
  for (const [n, v] of added) out.push(`+ ${n}: ${v}`);
  if (before.body !== after.body || (before.body_encoding ?? 'utf8') !== (after.body_encoding ?? 'utf8'))
    out.push(`body: ${JSON.stringify(bodyText(before))} -> ${JSON.stringify(bodyText(after))}`);
  return out;
}

/** What a response handler changed in the upstream response, one line per change. */
export function responseChanges(before: HttpResponseShape, after: HttpResponseShape): string[] {
  const out: string[] = [];
  if (before.status !== after.status) out.push(`status: ${before.status} -> ${after.status}`);
  for (const [n, v] of multisetMinus(before.headers, after.headers)) out.push(`- ${n}: ${v}`);
  for (const [n, v] of multisetMinus(after.headers, before.headers)) out.push(`+ ${n}: ${v}`);
  if (before.body !== after.body || (before.body_encoding ?? 'utf8') !== (after.body_encoding ?? 'utf8'))
    out.push(`body: ${JSON.stringify(bodyText(before))} -> ${JSON.stringify(bodyText(after))}`);
  return out;
}

function multisetMinus(a: HeaderList, b: HeaderList): HeaderList {
  const counts = new Map<string, number>();
  for (const h of b) counts.set(headerKey(h), (counts.get(headerKey(h)) ?? 0) + 1);
  return a.filter((h) => {
    const n = counts.get(headerKey(h)) ?? 0;
    if (n > 0) {
      counts.set(headerKey(h), n - 1);
      return false;
    }
    return true;
  });
}

function frameLines(frames: StackFrame[]): string {
  return frames
    .map(
      (f) =>
        `${f.plugin ? '>' : ' '} ${f.function}${f.file ? `  ${f.file}${f.line !== null ? `:${f.line}` : ''}` : ''}`,
    )
    .join('\n');
}

export function formatResult(r: CallResult): string {
  const lines: string[] = [];
  let headline = `${r.outcome}: ${OUTCOME_WORDS[r.outcome]}`;
  if (r.outcome === 'respond' || r.outcome === 'reject') headline += ` (status ${r.response?.status ?? '?'})`;
  lines.push(headline);
  if (r.error && r.outcome !== 'crash') lines.push(`error: ${r.error}`);
  if (r.panic) {
    lines.push(`panic: ${r.panic.message}`);
    if (r.panic.frames.length) lines.push(indent(frameLines(r.panic.frames)));
    else if (r.panic.stack) lines.push(indent(r.panic.stack));
  }
  if (r.crash) {
    lines.push(`crash: ${r.crash.message}`);
    if (r.crash.frames.length) lines.push(indent(frameLines(r.crash.frames)));
    lines.push(
      r.crash.restarted
        ? '  (the plugin host was started again; the next call works)'
        : '  (the plugin host could not be started again)',
    );
  }
  const ran =
    r.outcome !== 'crash' && r.outcome !== 'timeout' && !(r.outcome === 'error' && r.status === null);
  if (ran) {
    const changes = requestChanges(r.requestBefore, r.request);
    lines.push(changes.length ? 'request changes:' : 'request: unchanged');
    if (changes.length) lines.push(indent(changes.join('\n')));
    if (r.phase === 'response' && r.response && r.responseBefore) {
      const changes = responseChanges(r.responseBefore, r.response);
      lines.push(changes.length ? 'response changes:' : 'response: unchanged');
      if (changes.length) lines.push(indent(changes.join('\n')));
    }
    if (r.response) {
      lines.push(`response: ${r.response.status}`);
      for (const [n, v] of r.response.headers) lines.push(`  ${n}: ${v}`);
      if (r.response.body) lines.push('', indent(bodyText(r.response)));
    }
  }
  if (r.logs.length) {
    lines.push('logs:');
    for (const l of r.logs) lines.push(`  [${l.level}] ${l.message}`);
  }
  if (r.stdout) lines.push('stdout:', indent(r.stdout, '  | '));
  const stderr = r.crash ? r.crash.stderr : r.stderr;
  if (stderr) lines.push('stderr:', indent(stderr, '  | '));
  lines.push(
    `time: ${r.durationMs < 1 ? `${(r.durationMs * 1000).toFixed(1)} µs` : `${r.durationMs.toFixed(2)} ms`}`,
  );
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, REQUEST_OPTIONS);
  const [plugin, symbol, ...extra] = positionals;
  if (!plugin || !symbol) throw new UsageError('needs PLUGIN and SYMBOL (see --help).');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}".`);
  // Flags are checked before the plugin host starts, so a typo costs nothing.
  await callInputFromFlags(symbol, values, null);
  const timeout = values.timeout ? Number(values.timeout) : undefined;
  const session = await openForCommand('call', plugin, timeout);
  if (!session) return 3;
  try {
    const input = await callInputFromFlags(symbol, values, session);
    const result = await session.call(input);
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result));
    const { OK_OUTCOMES } = await import('../../runner/types.js');
    return OK_OUTCOMES.includes(result.outcome) ? 0 : 1;
  } finally {
    await session.close();
  }
}
