// Benchmark (b) of issue 3: one round trip engine -> plugin host -> engine for a trivial handler
// (crash-c's Ok through PluginSession.call: envelope built, handler called, output flushed and
// attributed, result validated and classified) against a plain Node child_process message echo
// with the same spawn options, in the same run. Target: ratio <= 1.5.
//
//   node --import tsx test/bench/roundtrip.ts [--calls N] [--rounds R]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput } from '../../src/runner/types.js';
import { buildPlugin } from '../helpers/plugins.js';

const { values } = parseArgs({
  options: { calls: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '3' } },
});
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);

const input: CallInput = {
  symbol: 'Ok',
  phase: 'request',
  request: {
    method: 'GET',
    url: 'http://api.example.com/orders?id=7',
    headers: [['X-Trace', 'a']],
    body: '',
  },
};

async function echoRound(): Promise<number> {
  const child = spawn(
    process.execPath,
    [path.join(path.dirname(new URL(import.meta.url).pathname), 'roundtrip-echo-child.mjs')],
    {
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    },
  );
  const message = {
    t: 'call',
    id: 0,
    symbol: input.symbol,
    phase: input.phase,
    envelope: JSON.stringify(input),
  };
  const once = (): Promise<void> => new Promise((resolve) => child.once('message', () => resolve()));
  for (let i = 0; i < 200; i++) {
    child.send(message);
    await once();
  }
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    message.id = i;
    child.send(message);
    await once();
  }
  const us = ((performance.now() - start) * 1000) / CALLS;
  child.kill();
  return us;
}

async function studioRound(lib: string): Promise<number> {
  const session = await openPlugin(lib);
  for (let i = 0; i < 200; i++) await session.call(input);
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const r = await session.call(input);
    if (r.outcome !== 'continue') throw new Error(`call ${i}: ${r.outcome} ${String(r.error)}`);
  }
  const us = ((performance.now() - start) * 1000) / CALLS;
  await session.close();
  return us;
}

const lib = await buildPlugin('crash-c');
console.log(
  `round trip engine -> host -> engine, ${CALLS} sequential calls per round, best of ${ROUNDS} rounds`,
);
const echo: number[] = [];
const studio: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  echo.push(await echoRound());
  studio.push(await studioRound(lib));
  console.log(`  round ${r + 1}: echo ${echo.at(-1)!.toFixed(1)} µs, studio ${studio.at(-1)!.toFixed(1)} µs`);
}
// Best of the rounds: on a shared machine the slowest rounds measure the neighbours, not the code.
const e = Math.min(...echo);
const s = Math.min(...studio);
const ratio = s / e;
console.log(
  `plain child_process echo ${e.toFixed(1)} µs, plugin host call ${s.toFixed(1)} µs: ratio ${ratio.toFixed(2)} (target <= 1.5) ${ratio <= 1.5 ? 'OK' : 'OVER TARGET'}`,
);
