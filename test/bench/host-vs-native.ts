// Benchmark (a) of issue 3: `plugin-studio bench` against test/bench/native-loop.c, a C program
// that dlopens the same library and calls the same handler with the same envelope bytes, in the
// same run. Prints the per-call overhead (1/studio rate - 1/native rate) for the C example and the
// throughput ratio (studio / native) for the Go c-shared example.
//
//   npm run build && node --import tsx test/bench/host-vs-native.ts [--calls N] [--rounds R]
//
// The studio side runs the real CLI (bin/plugin-studio.js, compiled to dist/), so it measures what a
// user runs: the envelope is built from the flags, every result is validated and classified.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { callInputFromFlags } from '../../src/cli/commands/call.js';
import { buildEnvelope } from '../../src/runner/envelope.js';
import { buildPlugin, type PluginName } from '../helpers/plugins.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const BIN = path.join(ROOT, 'bin', 'plugin-studio.js');
const { values } = parseArgs({
  options: { calls: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '3' } },
});
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);

const REQUEST_FLAGS = [
  '--url',
  'http://api.example.com/orders?id=7',
  '-H',
  'X-Trace: a',
  '-H',
  'Accept: */*',
];

function runJson(cmd: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`${path.basename(cmd)} ${args.slice(0, 3).join(' ')} failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

interface Pair {
  studio: number;
  native: number;
}

async function measure(plugin: PluginName, symbol: string, loop: string): Promise<Pair> {
  const lib = await buildPlugin(plugin);
  // The native loop gets exactly the bytes the CLI sends for the same flags.
  const { values: flags } = parseArgs({
    args: REQUEST_FLAGS,
    options: { url: { type: 'string' }, header: { type: 'string', short: 'H', multiple: true } },
  });
  const input = await callInputFromFlags(symbol, { ...flags, phase: 'request' }, null);
  const envelope = buildEnvelope(input).json;
  const envFile = path.join(ROOT, 'build', 'bench', `${plugin}-${symbol}.json`);
  fs.mkdirSync(path.dirname(envFile), { recursive: true });
  fs.writeFileSync(envFile, envelope);

  const studio: number[] = [];
  const native: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const n = runJson(loop, [lib, symbol, String(CALLS), envFile, '--json']);
    native.push(Number(n.callsPerSecond));
    const s = runJson(process.execPath, [
      BIN,
      'bench',
      lib,
      symbol,
      '-n',
      String(CALLS),
      '--phase',
      'request',
      ...REQUEST_FLAGS,
      '--json',
    ]);
    const sample = s.sample as { inputBytes: number; outcome: string };
    if (sample.inputBytes !== Buffer.byteLength(envelope))
      throw new Error('the studio sent a different envelope');
    if (Number(s.calls) !== CALLS) throw new Error(`studio made ${String(s.calls)} calls`);
    studio.push(Number(s.callsPerSecond));
    console.log(
      `  round ${round + 1}: native ${Math.round(native.at(-1)!).toLocaleString('en-US')}/s, studio ${Math.round(studio.at(-1)!).toLocaleString('en-US')}/s (p50 ${String(s.p50Us)} µs, outcome ${sample.outcome})`,
    );
  }
  // Best of the rounds for both sides: on a shared machine the slow rounds measure the neighbours.
  return { studio: Math.max(...studio), native: Math.max(...native) };
}

if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('host-vs-native: run `npm run build` first (the benchmark runs the compiled CLI).');
  process.exit(2);
}
const loop = await buildPlugin('native-loop');
console.log(`plugin-studio bench vs native loop, ${CALLS} calls per run, best of ${ROUNDS} rounds`);

console.log('C example, AddHeader:');
const c = await measure('example-c', 'AddHeader', loop);
const overheadUs = (1 / c.studio - 1 / c.native) * 1e6;
console.log(
  `  native ${(1e6 / c.native).toFixed(3)} µs/call, studio ${(1e6 / c.studio).toFixed(3)} µs/call: overhead ${overheadUs.toFixed(3)} µs per call (target <= 2 µs) ${overheadUs <= 2 ? 'OK' : 'OVER TARGET'}`,
);

console.log('Go c-shared example, AddHeader:');
const go = await measure('example-go', 'AddHeader', loop);
const ratio = go.studio / go.native;
console.log(
  `  native ${Math.round(go.native).toLocaleString('en-US')}/s, studio ${Math.round(go.studio).toLocaleString('en-US')}/s: throughput ratio ${ratio.toFixed(3)} (target >= 0.8) ${ratio >= 0.8 ? 'OK' : 'UNDER TARGET'}; overhead ${((1 / go.studio - 1 / go.native) * 1e6).toFixed(3)} µs per call`,
);
