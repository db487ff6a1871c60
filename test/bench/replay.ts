// Benchmark of issue 6: replaying 1,000 fixtures against the C example plugin with
// `plugin-studio test`, against the same 1,000 calls made raw with `plugin-studio bench`, in the
// same run. Target: replay / bench <= 1.3 end to end (what a CI job pays).
//
//   npm run build && npm run bench:replay -- [--rounds R]
//
// Both sides run the real CLI (bin/plugin-studio.js, compiled to dist/): start Node, open the plugin
// in its host process, make the 1,000 calls, exit. Replay also reads and validates 1,000 YAML files,
// sends each call over the host protocol and checks each fixture's expectations; bench loops inside
// the host. Two figures per side: wall clock, and CPU time of the CLI and its plugin host (bash's
// `times`): on a machine shared with other work the wall clock also measures the neighbours.
// A last, in-process figure shows the cost per call of replay over the in-host loop.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPlugin } from '../helpers/plugins.js';
import { FixtureStore } from '../../src/fixtures/store.js';
import { replayStore, fixtureToCallInput } from '../../src/fixtures/replay.js';
import { newFixture } from '../../src/fixtures/schema.js';
import { openPlugin } from '../../src/runner/index.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const BIN = path.join(ROOT, 'bin', 'plugin-studio.js');
const CALLS = 1000;
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(values.rounds);

if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'commands', 'test.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}

const URL_ = 'http://api.example.com/orders?id=7';
const HEADERS: [string, string][] = [
  ['X-Trace', 'a'],
  ['Accept', '*/*'],
];

const plugin = await buildPlugin('example-c');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-bench-replay-'));
const OUTFILE = `${dir}.out`;
const store = new FixtureStore(dir);
for (let i = 0; i < CALLS; i++) {
  const f = newFixture(
    `orders ${String(i).padStart(4, '0')}`,
    { method: 'GET', url: URL_, headers: HEADERS, body: '' },
    { symbol: 'AddHeader' },
  );
  f.expect = { outcome: 'continue', request: { headers: { equal: [['X-Example', 'plugin-studio']] } } };
  store.save(f);
}

interface Run {
  ms: number;
  cpuMs: number;
}

function timed(args: string[], check: (stdout: string) => void): Run {
  const t0 = performance.now();
  const script = '"$@" > "$OUT"; status=$?; times >&2; exit $status';
  const r = spawnSync('bash', ['-c', script, 'bench', process.execPath, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, OUT: OUTFILE },
  });
  const ms = performance.now() - t0;
  const stdout = fs.readFileSync(OUTFILE, 'utf8');
  if (r.status !== 0)
    throw new Error(`plugin-studio ${args[0]} failed (${r.status}): ${r.stderr || stdout.slice(-500)}`);
  check(stdout);
  const children = r.stderr.trim().split('\n').pop() ?? '';
  const t = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s/.exec(children);
  if (!t) throw new Error(`no CPU times from bash: ${r.stderr}`);
  const cpuMs = (Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4])) * 1000;
  return { ms, cpuMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const replayRuns: Run[] = [];
const benchRuns: Run[] = [];
const benchArgs = ['bench', plugin, 'AddHeader', '-n', String(CALLS), '--url', URL_];
for (const [n, v] of HEADERS) benchArgs.push('-H', `${n}: ${v}`);
for (let round = 0; round < ROUNDS; round++) {
  // Alternating, so a neighbour's load on this machine falls on both sides alike.
  replayRuns.push(
    timed(['test', dir, '--plugin', plugin], (out) => {
      if (!out.endsWith(`${CALLS} passed, 0 failed\n`))
        throw new Error(`replay did not pass: ${out.slice(-300)}`);
    }),
  );
  benchRuns.push(
    timed(benchArgs, (out) => {
      if (!out.includes(`continue ${CALLS}`)) throw new Error(`bench did not run ${CALLS} calls: ${out}`);
    }),
  );
}

// In process: the same session, replay through the protocol vs the in-host loop.
const session = await openPlugin(plugin);
const input = fixtureToCallInput(store.list().fixtures[0]!.fixture, session.description);
await session.bench(input, 200);
const inProcReplay: number[] = [];
const inProcBench: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let t0 = performance.now();
  const report = await replayStore(session, store);
  inProcReplay.push(performance.now() - t0);
  if (report.passed !== CALLS) throw new Error('in-process replay did not pass');
  t0 = performance.now();
  await session.bench(input, CALLS);
  inProcBench.push(performance.now() - t0);
}
await session.close();
fs.rmSync(dir, { recursive: true, force: true });
fs.rmSync(OUTFILE, { force: true });

const show = (xs: number[]) => `[${xs.map((x) => x.toFixed(0)).join(', ')}]`;
const side = (label: string, runs: Run[]) =>
  `  ${label} wall ${median(runs.map((x) => x.ms)).toFixed(0)} ms ${show(runs.map((x) => x.ms))}, ` +
  `CPU ${median(runs.map((x) => x.cpuMs)).toFixed(0)} ms ${show(runs.map((x) => x.cpuMs))}`;
const ratio = (pick: (x: Run) => number) =>
  (median(replayRuns.map(pick)) / median(benchRuns.map(pick))).toFixed(2);
console.log(`replay benchmark: ${CALLS} fixtures (AddHeader of the C example), ${ROUNDS} rounds, medians`);
console.log(side('plugin-studio test (1,000 fixture files):', replayRuns));
console.log(side('plugin-studio bench -n 1000 (raw calls): ', benchRuns));
console.log(
  `  ratio replay / bench: wall ${ratio((x) => x.ms)}, CPU ${ratio((x) => x.cpuMs)}  (target <= 1.30)`,
);
const ir = median(inProcReplay);
const ib = median(inProcBench);
console.log(
  `  in process, same session: replay ${ir.toFixed(0)} ms (${((ir / CALLS) * 1000).toFixed(0)} µs per fixture: ` +
    `read, validate, call over the protocol, check); bench ${ib.toFixed(1)} ms ` +
    `(${((ib / CALLS) * 1000).toFixed(1)} µs per call inside the host); ratio ${(ir / ib).toFixed(1)}`,
);
