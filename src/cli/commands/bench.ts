/**
 * `plugin-studio bench`: calls a handler n times inside its plugin host (each result validated and
 * classified as in a normal call) and reports the rate and latency percentiles.
 */
import { parseCommandLine, UsageError } from '../usage.js';
import { callInputFromFlags, formatResult, openForCommand, REQUEST_OPTIONS, REQUEST_USAGE } from './call.js';
import type { BenchResult } from '../../runner/types.js';

export const usage = `Usage: plugin-studio bench PLUGIN SYMBOL [options]

Calls the handler SYMBOL of PLUGIN n times with the same request, in a loop inside the plugin host,
checking every result as a normal call does. Prints calls per second and latency percentiles.

${REQUEST_USAGE}
  -n, --calls N              number of calls (default 10000)
  --json                     print one JSON object: calls, callsPerSecond, p50Us, p90Us, p99Us,
                             maxUs, outcomes, sample

Exit codes: 0 when every call ended in continue, respond or reject; 1 otherwise;
2 usage error; 3 the plugin cannot be opened.
`;

function us(v: number): string {
  return v < 10 ? `${v.toFixed(2)} µs` : v < 1000 ? `${v.toFixed(1)} µs` : `${(v / 1000).toFixed(2)} ms`;
}

export function formatBench(symbol: string, b: BenchResult): string {
  const outcomes = Object.entries(b.outcomes)
    .map(([o, n]) => `${o} ${n}`)
    .join(', ');
  const lines = [
    `${b.calls} calls of ${symbol}: ${Math.round(b.callsPerSecond).toLocaleString('en-US')} calls per second`,
    `latency: p50 ${us(b.p50Us)}  p90 ${us(b.p90Us)}  p99 ${us(b.p99Us)}  max ${us(b.maxUs)}`,
    `outcomes: ${outcomes || 'none'}`,
  ];
  if (b.sample && !['continue', 'respond', 'reject'].includes(b.sample.outcome))
    lines.push('', 'first failing result:', formatResult(b.sample).trimEnd());
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    ...REQUEST_OPTIONS,
    calls: { type: 'string', short: 'n' },
  });
  const [plugin, symbol, ...extra] = positionals;
  if (!plugin || !symbol) throw new UsageError('needs PLUGIN and SYMBOL (see --help).');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}".`);
  const n = values.calls === undefined ? 10_000 : Number(values.calls);
  if (!/^\d+$/.test(values.calls ?? '1') || !Number.isSafeInteger(n) || n < 1 || n > 100_000_000)
    throw new UsageError(`-n must be a whole number from 1 to 100000000, not "${values.calls}".`);
  await callInputFromFlags(symbol, values, null);
  const session = await openForCommand('bench', plugin, values.timeout ? Number(values.timeout) : undefined);
  if (!session) return 3;
  try {
    const input = await callInputFromFlags(symbol, values, session);
    const b = await session.bench(input, n);
    process.stdout.write(values.json ? `${JSON.stringify(b, null, 2)}\n` : formatBench(symbol, b));
    const { OK_OUTCOMES } = await import('../../runner/types.js');
    const failed = Object.entries(b.outcomes).some(([o, k]) => k > 0 && !OK_OUTCOMES.includes(o as never));
    return failed || b.calls === 0 ? 1 : 0;
  } finally {
    await session.close();
  }
}
