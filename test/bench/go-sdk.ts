// Benchmark: what the Go SDK (sdk/go) costs per call on top of a bare cgo export, measured with
// test/bench/native-loop.c (no Plugin Studio host involved), in the same run:
//   RawOk      crash-go, a raw //export that mallocs "{}": the cgo callback alone (the baseline)
//   Ok         crash-go, an SDK handler that changes nothing: decode the envelope, build the
//              *http.Request, compare, answer the constant {}
//   AddHeader  example-go: the same plus encoding the changed request
//
//   node --import tsx test/bench/go-sdk.ts [--calls N] [--rounds R]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPlugin } from '../helpers/plugins.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const { values } = parseArgs({
  options: { calls: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '5' } },
});
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);

const envelope = JSON.stringify({
  abi: 1,
  phase: 'request',
  request: {
    method: 'GET',
    url: 'http://api.example.com/v1/orders?id=7',
    proto: 'HTTP/1.1',
    remote_addr: '127.0.0.1:51000',
    headers: [
      ['Accept', '*/*'],
      ['X-Trace', 'a'],
    ],
    body: '',
    body_encoding: 'utf8',
  },
  response: null,
  config: {},
});

const loop = await buildPlugin('native-loop');
const crashGo = await buildPlugin('crash-go');
const exampleGo = await buildPlugin('example-go');
const envFile = path.join(ROOT, 'build', 'bench', 'go-sdk-envelope.json');
fs.mkdirSync(path.dirname(envFile), { recursive: true });
fs.writeFileSync(envFile, envelope);

function usPerCall(lib: string, symbol: string): number {
  const r = spawnSync(loop, [lib, symbol, String(CALLS), envFile, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`native-loop ${symbol} failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { usPerCall: number }).usPerCall;
}

// Interleaved rounds, median per handler: the machine's load drifts, so the three are measured
// side by side rather than one after the other.
const runs: Record<string, number[]> = { RawOk: [], Ok: [], AddHeader: [] };
for (let round = 0; round < ROUNDS; round++) {
  runs.RawOk!.push(usPerCall(crashGo, 'RawOk'));
  runs.Ok!.push(usPerCall(crashGo, 'Ok'));
  runs.AddHeader!.push(usPerCall(exampleGo, 'AddHeader'));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const raw = median(runs.RawOk!);
console.log(
  `Go SDK per-call cost (native loop, ${CALLS} calls, median of ${ROUNDS} rounds, ${envelope.length}-byte envelope)`,
);
for (const [name, xs] of Object.entries(runs)) {
  const us = median(xs);
  const extra =
    name === 'RawOk'
      ? 'baseline: bare cgo export'
      : `SDK adds ${(us - raw).toFixed(3)} µs (${(us / raw).toFixed(2)}x the bare export)`;
  console.log(
    `  ${name.padEnd(10)} ${us.toFixed(3)} µs/call  ${(1e6 / us).toFixed(0).padStart(9)} calls/s  ${extra}`,
  );
}
