// Calls plugin handlers in a throwaway child process (test/sdk/koffi-call.mjs) and reports what
// each returned, or how the process died. Enough to check the SDKs, the examples and the test
// plugins on their own; the real plugin host is src/runner.
import { spawn } from 'node:child_process';

export interface HandlerCall {
  symbol: string;
  envelope: unknown;
  /** Sent as is instead of the JSON of envelope (to test broken input). */
  raw?: string;
  /** Bytes sent as is (base64 here), for input that is not even UTF-8. */
  rawBase64?: string;
}

export interface HandlerReturn {
  status: number;
  /** Decoded as UTF-8 (invalid bytes replaced). */
  output: string | null;
  /** Present (false) only when the output was not valid UTF-8. */
  utf8?: false;
  /** Present only for outputs over 1 MiB: the real length (output holds the first 1 MiB). */
  length?: number;
}

export interface ChildRun {
  /** null when the process died before reporting. */
  report: { abi: number; manifest: string | null; results: HandlerReturn[] } | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const CHILD = new URL('./koffi-call.mjs', import.meta.url).pathname;

export function runInChild(library: string, calls: HandlerCall[], timeoutMs = 30_000): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const report: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const fd3 = child.stdio[3];
    if (fd3 && 'on' in fd3) fd3.on('data', (c: Buffer) => report.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const text = Buffer.concat(report).toString('utf8');
      resolve({
        report: text ? (JSON.parse(text) as ChildRun['report']) : null,
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
    child.stdin.end(JSON.stringify({ library, calls }));
  });
}

/** Runs the calls and returns their results; fails with the child's stderr if it died. */
export async function callAll(library: string, calls: HandlerCall[]): Promise<HandlerReturn[]> {
  const run = await runInChild(library, calls);
  if (!run.report)
    throw new Error(`handler process died (exit ${run.exitCode}, signal ${run.signal}): ${run.stderr}`);
  return run.report.results;
}

export async function callOne(library: string, symbol: string, envelope: unknown): Promise<HandlerReturn> {
  const [r] = await callAll(library, [{ symbol, envelope }]);
  if (!r) throw new Error('no result');
  return r;
}

type Headers = [string, string][];

export interface RequestShape {
  method: string;
  url: string;
  proto?: string;
  remote_addr?: string;
  headers: Headers;
  body: string;
  body_encoding?: 'utf8' | 'base64';
}

export interface ResponseShape {
  status: number;
  headers: Headers;
  body: string;
  body_encoding?: 'utf8' | 'base64';
}

export function requestEnvelope(request: Partial<RequestShape> = {}, config: unknown = {}): unknown {
  return {
    abi: 1,
    phase: 'request',
    request: {
      method: 'GET',
      url: 'http://api.example.com/v1/orders?id=7',
      proto: 'HTTP/1.1',
      remote_addr: '127.0.0.1:51000',
      headers: [['Accept', 'application/json']],
      body: '',
      body_encoding: 'utf8',
      ...request,
    },
    response: null,
    config,
  };
}

export function responseEnvelope(response: Partial<ResponseShape> = {}, config: unknown = {}): unknown {
  const env = requestEnvelope({}, config) as Record<string, unknown>;
  return {
    ...env,
    phase: 'response',
    response: { status: 200, headers: [], body: '', body_encoding: 'utf8', ...response },
  };
}

export interface ResultShape {
  request?: RequestShape;
  response?: ResponseShape;
  logs?: { level: string; message: string }[];
  panic?: { message: string; stack: string };
}

/** Parses a successful handler's result envelope. */
export function result(r: HandlerReturn): ResultShape {
  if (r.status !== 0) throw new Error(`handler failed with status ${r.status}: ${r.output}`);
  if (r.output === null) throw new Error('handler returned NULL output');
  return JSON.parse(r.output) as ResultShape;
}

/** The symbols a shared library defines in its dynamic symbol table (nm -D --defined-only). */
export async function definedExports(library: string): Promise<string[]> {
  const { execFileSync } = await import('node:child_process');
  const text = execFileSync('nm', ['-D', '--defined-only', library], { encoding: 'utf8' });
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3 && f[1] === 'T')
    .map((f) => f[2] as string)
    .sort();
}
