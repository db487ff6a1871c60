/**
 * How the symbol list crosses the wire: the columnar table of src/api/symbol-table.ts against the
 * plain JSON array of SymbolRecord it replaces, on a large real binary (default /usr/bin/node,
 * about 75,000 dynamic symbols), plus the whole `symbols` operation over a real WebSocket against
 * the same read done in-process. Run: node --import tsx test/bench/symbol-table.ts [FILE]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import {
  createClient,
  createFrameTransport,
  encodeSymbolTable,
  SymbolTableSchema,
} from '../../src/api/index.js';
import { openBinary } from '../../src/binary/index.js';
import { startStudioServer } from '../../src/server/studio-server.js';
import { createEngine, StudioService } from '../../src/studio/index.js';

const file = process.argv[2] ?? '/usr/bin/node';
const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void): number {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const kb = (x: number) => `${(x / 1024).toFixed(0)} KB`;

const read = time(() => openBinary(file, { imports: true }));
const symbols = openBinary(file, { imports: true }).symbols;

const plainText = JSON.stringify(symbols);
const table = encodeSymbolTable(file, symbols);
const tableText = JSON.stringify(table);

const encode = time(() => JSON.stringify(encodeSymbolTable(file, symbols)));
const encodePlain = time(() => JSON.stringify(symbols));
const decode = time(() => SymbolTableSchema.parse(JSON.parse(tableText)));
const decodePlain = time(() => JSON.parse(plainText));

console.log(`file: ${file}, ${symbols.length} symbols`);
console.log(`read symbols in-process (baseline): ${ms(read)}`);
console.log(
  `wire size: table ${kb(tableText.length)} (gzip ${kb(gzipSync(tableText).length)}) vs plain array ${kb(plainText.length)} (gzip ${kb(gzipSync(plainText).length)}): ratio ${(tableText.length / plainText.length).toFixed(2)}`,
);
console.log(`engine side, encode + stringify: table ${ms(encode)} vs plain ${ms(encodePlain)}`);
console.log(
  `UI side, parse + validate: table ${ms(decode)} vs plain JSON.parse without validation ${ms(decodePlain)}: ratio ${(decode / decodePlain).toFixed(2)}`,
);

// The whole operation as the UI sees it: open, then `symbols` over the WebSocket.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-bench-'));
const service = new StudioService({ engine: createEngine({ dataDir: work }) });
const server = await startStudioServer({ api: service, staticDir: work });
const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { maxPayload: 1 << 30 });
await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
const client = createClient(
  createFrameTransport({
    send: (t) => ws.send(t),
    onMessage: (l) => ws.on('message', (d) => l(d.toString())),
    onClose: (l) => ws.on('close', () => l('closed')),
  }),
);
const overWs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  await client.openPlugin({ path: file });
  const rows = await client.symbols();
  overWs.push(performance.now() - t);
  if (rows.count !== symbols.length) throw new Error(`expected ${symbols.length} rows, got ${rows.count}`);
}
console.log(
  `open + symbols over WebSocket, validated: ${ms(median(overWs))} vs in-process read ${ms(read)}: ratio ${(median(overWs) / read).toFixed(2)}`,
);
ws.close();
await server.close();
await service.dispose();
fs.rmSync(work, { recursive: true, force: true });
