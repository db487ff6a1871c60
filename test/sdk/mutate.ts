// Deterministic mutations of input envelopes for the examples' fuzz tests: byte-level damage
// (flips, cuts, splices, invalid UTF-8) and structural damage (wrong types, huge or deep values,
// odd headers), so that both the JSON parsers and the handlers' own checks are exercised.
import { requestEnvelope, responseEnvelope, type ChildRun, type HandlerCall } from './harness.js';

import { mulberry32 as prng } from '../helpers/random.js';

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  true,
  '',
  'x'.repeat(70_000),
  '\u0000',
  '\ud800',
  '/v1/',
  [],
  [[]],
  [['a']],
  [['a', 'b', 'c']],
  [[1, 2]],
  {},
  { value: 7 },
  JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown,
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function structural(rand: () => number): unknown {
  const env = (
    rand() < 0.5 ? requestEnvelope() : responseEnvelope({ headers: [['Server', 'x']], body: 'upstream' })
  ) as Record<string, Record<string, unknown> | unknown>;
  const targets: [Record<string, unknown>, string][] = [];
  const req = env.request as Record<string, unknown>;
  for (const k of ['method', 'url', 'headers', 'body', 'body_encoding', 'proto']) targets.push([req, k]);
  for (const k of ['abi', 'phase', 'request', 'response', 'config']) targets.push([env, k]);
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) {
    const [obj, key] = pick(rand, targets);
    if (rand() < 0.2) delete obj[key];
    else obj[key] = pick(rand, ODD_VALUES);
  }
  if (rand() < 0.2)
    req.url = pick(rand, [
      'http://h',
      'http://h?q',
      '://',
      'v1/x',
      'http://[::1]:80/v1/a',
      'http://h/v1/%zz',
    ]);
  return env;
}

function bytewise(rand: () => number): Buffer {
  const base = Buffer.from(JSON.stringify(rand() < 0.5 ? requestEnvelope() : responseEnvelope()));
  const b = Buffer.from(base);
  const op = Math.floor(rand() * 4);
  if (op === 0) {
    for (let i = 0; i < 1 + rand() * 8; i++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    return b;
  }
  if (op === 1) return b.subarray(0, Math.floor(rand() * b.length));
  if (op === 2) {
    const at = Math.floor(rand() * b.length);
    return Buffer.concat([b.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), b.subarray(at)]);
  }
  const from = Math.floor(rand() * b.length);
  const to = Math.floor(rand() * b.length);
  return Buffer.concat([b.subarray(0, to), b.subarray(from), b.subarray(to)]);
}

/** `count` calls spread over `symbols`, reproducible from `seed`. */
export function mutatedCalls(symbols: readonly string[], count: number, seed: number): HandlerCall[] {
  const rand = prng(seed);
  const calls: HandlerCall[] = [];
  for (let i = 0; i < count; i++) {
    const symbol = symbols[i % symbols.length] as string;
    if (rand() < 0.5) calls.push({ symbol, envelope: structural(rand) });
    else calls.push({ symbol, envelope: null, rawBase64: bytewise(rand).toString('base64') });
  }
  return calls;
}

/**
 * What every handler must do with any input: return (the process survives), and either succeed
 * with a JSON object result or fail with a message. Valid UTF-8 in gives valid UTF-8 out.
 */
export function checkFuzzResults(calls: HandlerCall[], run: ChildRun): string[] {
  const problems: string[] = [];
  if (!run.report)
    return [
      `the plugin process died (exit ${run.exitCode}, signal ${run.signal}): ${run.stderr.slice(0, 2000)}`,
    ];
  run.report.results.forEach((r, i) => {
    const call = calls[i] as HandlerCall;
    const input = call.rawBase64 ?? JSON.stringify(call.envelope).slice(0, 300);
    const validInput = call.rawBase64 === undefined || isUtf8(Buffer.from(call.rawBase64, 'base64'));
    if (r.status === 0) {
      if (r.output === null) problems.push(`${call.symbol}: NULL output with status 0 for ${input}`);
      else {
        try {
          const v = JSON.parse(r.output) as unknown;
          if (typeof v !== 'object' || v === null || Array.isArray(v))
            problems.push(`${call.symbol}: result is not an object for ${input}`);
        } catch {
          problems.push(`${call.symbol}: result is not JSON (${r.output.slice(0, 100)}) for ${input}`);
        }
      }
    } else if (!r.output) problems.push(`${call.symbol}: status ${r.status} without a message for ${input}`);
    if (validInput && r.utf8 === false) problems.push(`${call.symbol}: output is not UTF-8 for ${input}`);
  });
  return problems;
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}
