/**
 * What the contract adds to a call: the example plugin's AddHeader called N times directly on a
 * PluginSession (the baseline, same run) and through the studio service over browser mode's
 * WebSocket (validation both ways, JSON, history). Prints p50/p95 of each and the overhead.
 * Run: npm run build:examples && node --import tsx test/bench/contract-call.ts [N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createClient, createFrameTransport } from '../../src/api/index.js';
import { openPlugin } from '../../src/runner/index.js';
import { startStudioServer } from '../../src/server/studio-server.js';
import { createEngine, defaultPluginPath, exampleRequest, StudioService } from '../../src/studio/index.js';

const N = Number(process.argv[2] ?? 500);
const plugin = defaultPluginPath();
if (!fs.existsSync(plugin)) {
  console.error(`${plugin} is missing: run \`npm run build:examples\` first.`);
  process.exit(1);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const f = (x: number) => `${x.toFixed(3)} ms`;
const input = exampleRequest();

const session = await openPlugin(plugin);
const direct: number[] = [];
for (let i = 0; i < N + 50; i++) {
  const t = performance.now();
  await session.call(input);
  if (i >= 50) direct.push(performance.now() - t);
}
await session.close();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-bench-'));
const service = new StudioService({ engine: createEngine({ dataDir: work }) });
const server = await startStudioServer({ api: service, staticDir: work });
const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
const client = createClient(
  createFrameTransport({
    send: (t) => ws.send(t),
    onMessage: (l) => ws.on('message', (d) => l(d.toString())),
    onClose: (l) => ws.on('close', () => l('closed')),
  }),
);
await client.openPlugin({ path: plugin });
const viaWs: number[] = [];
const engine: number[] = [];
for (let i = 0; i < N + 50; i++) {
  const t = performance.now();
  const r = await client.call(input);
  if (i >= 50) {
    viaWs.push(performance.now() - t);
    engine.push(r.durationMs);
  }
}
ws.close();
await server.close();
await service.dispose();
fs.rmSync(work, { recursive: true, force: true });

console.log(`${N} calls of AddHeader (${path.basename(plugin)})`);
console.log(`direct PluginSession.call (baseline): p50 ${f(pct(direct, 50))}, p95 ${f(pct(direct, 95))}`);
console.log(`through the contract over WebSocket:  p50 ${f(pct(viaWs, 50))}, p95 ${f(pct(viaWs, 95))}`);
console.log(
  `overhead of the contract at p50: ${f(pct(viaWs, 50) - pct(direct, 50))} (ratio ${(pct(viaWs, 50) / pct(direct, 50)).toFixed(2)}); handler time as reported: p50 ${f(pct(engine, 50))}`,
);
