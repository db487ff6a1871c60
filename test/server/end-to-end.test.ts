/**
 * The contract end to end over browser mode's WebSocket, against real compiled plugins in real
 * host processes: open, symbols, call, crash, the next call, history, fixtures, a rebuild.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import WebSocket from 'ws';
import {
  createClient,
  createFrameTransport,
  symbolAt,
  type Client,
  type EventName,
} from '../../src/api/index.js';
import { spawnChildHost } from '../../src/runner/index.js';
import { startStudioServer, type StudioServer } from '../../src/server/studio-server.js';
import { createEngine, exampleRequest, StudioService } from '../../src/studio/index.js';
import { requirePlugin } from '../helpers/plugins.js';

let work: string;
let service: StudioService;
let server: StudioServer;
let client: Client;
let ws: WebSocket;
const seen: { event: EventName; payload: unknown }[] = [];

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-e2e-'));
  const staticDir = path.join(work, 'ui');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
  service = new StudioService({
    engine: createEngine({ dataDir: path.join(work, 'data') }),
    spawn: spawnChildHost,
    timeoutMs: 5000,
    watchDebounceMs: 100,
  });
  server = await startStudioServer({ api: service, staticDir });
  ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
    headers: { Origin: `http://127.0.0.1:${server.port}` },
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  client = createClient(
    createFrameTransport({
      send: (text) => ws.send(text),
      onMessage: (l) => ws.on('message', (d) => l(d.toString())),
      onClose: (l) => ws.on('close', () => l('closed')),
    }),
  );
  for (const e of ['hostStatus', 'fileChanged', 'pluginOpened', 'fixturesChanged'] as const) {
    client.on(e, (payload) => seen.push({ event: e, payload }));
  }
});

after(async () => {
  ws?.close();
  await server?.close();
  await service?.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A private copy of a built plugin: the test rebuilds and watches it. */
async function pluginCopy(t: TestContext, name: 'example-c' | 'crash-c'): Promise<string | null> {
  const built = await requirePlugin(t, name);
  if (!built) return null;
  const dir = fs.mkdtempSync(path.join(work, `${name}-`));
  const copy = path.join(dir, path.basename(built));
  fs.copyFileSync(built, copy);
  return copy;
}

function until(check: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 20);
    };
    tick();
  });
}

test('the example plugin: open, symbols, run AddHeader, see the header added', async (t) => {
  const plugin = await pluginCopy(t, 'example-c');
  if (!plugin) return;
  const state = await client.openPlugin({ path: plugin });
  assert.equal(state.error, null);
  assert.equal(state.host, 'ready');
  assert.equal(state.binary?.format, 'elf');
  assert.deepEqual(
    state.plugin?.handlers.map((h) => h.symbol),
    ['AddHeader', 'RewritePath', 'RequireToken', 'StripServer'],
  );
  const table = await client.symbols();
  assert.equal(table.count, state.symbolCount);
  const rows = Array.from({ length: table.count }, (_, i) => symbolAt(table, i));
  const add = rows.find((s) => s.name === 'AddHeader');
  assert.equal(add?.handler?.phase, 'request');
  assert.ok(rows.some((s) => s.abi === 'abi_version'));

  const result = await client.call(exampleRequest());
  assert.equal(result.outcome, 'continue');
  assert.deepEqual(result.request.headers.at(-1), ['X-Example', 'plugin-studio']);

  const history = await client.historyList({});
  assert.equal(history.entries[0]?.symbol, 'AddHeader');
  const entry = await client.historyGet({ id: history.entries[0]!.id });
  assert.deepEqual(entry.input.request, exampleRequest().request);
});

test('a segfault is a crash result, the host restarts, and the next call works', async (t) => {
  const plugin = await pluginCopy(t, 'crash-c');
  if (!plugin) return;
  await client.openPlugin({ path: plugin });
  const request = { method: 'GET', url: 'http://example.test/', headers: [], body: '' };
  const ok = await client.call({ symbol: 'Ok', phase: 'request', request });
  assert.equal(ok.outcome, 'continue');
  const crash = await client.call({ symbol: 'Segfault', phase: 'request', request });
  assert.equal(crash.outcome, 'crash');
  assert.equal(crash.crash?.signal, 'SIGSEGV');
  const next = await client.call({ symbol: 'Ok', phase: 'request', request });
  assert.equal(next.outcome, 'continue');
  assert.ok(
    seen.some((e) => e.event === 'hostStatus' && (e.payload as { state: string }).state === 'crashed'),
  );
});

test('cancel kills a hanging call and the next call works', async (t) => {
  const plugin = await pluginCopy(t, 'crash-c');
  if (!plugin) return;
  await client.openPlugin({ path: plugin });
  const request = { method: 'GET', url: 'http://example.test/', headers: [], body: '' };
  seen.length = 0;
  const hanging = client.call({ symbol: 'Hang', phase: 'request', request, timeoutMs: 60_000 });
  await until(() =>
    seen.some((e) => e.event === 'hostStatus' && (e.payload as { state: string }).state === 'busy'),
  );
  assert.deepEqual(await client.cancel(), { cancelled: true });
  const r = await hanging;
  assert.equal(r.outcome, 'error');
  assert.match(r.error ?? '', /cancel/);
  assert.equal((await client.call({ symbol: 'Ok', phase: 'request', request })).outcome, 'continue');
});

test('fixtures: save, list, run, delete and undo over the socket', async (t) => {
  const plugin = await pluginCopy(t, 'example-c');
  if (!plugin) return;
  const state = await client.openPlugin({ path: plugin });
  const input = exampleRequest();
  const saved = await client.fixturesSave({
    fixture: {
      version: 2,
      name: 'adds the header',
      target: { symbol: input.symbol, phase: input.phase },
      request: input.request,
      config: input.config,
      expect: { outcome: 'continue', request: { headers: { equal: [['X-Example', 'plugin-studio']] } } },
    },
  });
  assert.equal(saved.file, 'adds-the-header.yaml');
  assert.ok(fs.existsSync(path.join(state.fixturesDir, saved.file)));
  const run = await client.fixturesRun({ file: saved.file });
  assert.equal(run.passed, true, JSON.stringify(run.failures));
  fs.writeFileSync(path.join(state.fixturesDir, 'broken.yaml'), 'version: 2\nname: [unclosed\n');
  const list = await client.fixturesList();
  assert.deepEqual(
    list.entries.map((e) => [e.file, e.error === null]),
    [
      ['adds-the-header.yaml', true],
      ['broken.yaml', false],
    ],
  );
  const all = await client.fixturesRunAll();
  assert.deepEqual([all.passed, all.failed], [1, 1]);
  await assert.rejects(
    client.fixturesSave({ file: saved.file, fixture: saved.fixture!, revision: 'stale' }),
    (e: Error & { code?: string }) => e.code === 'conflict',
  );
  const { undoToken } = await client.fixturesDelete({ file: saved.file });
  assert.equal(fs.existsSync(path.join(state.fixturesDir, saved.file)), false);
  await client.fixturesUndoDelete({ undoToken });
  assert.ok(fs.existsSync(path.join(state.fixturesDir, saved.file)));
  assert.ok(seen.some((e) => e.event === 'fixturesChanged'));
});

test('rebuilding the plugin file reloads the host: "rebuilt, reloaded"', async (t) => {
  const plugin = await pluginCopy(t, 'example-c');
  const other = await requirePlugin(t, 'crash-c');
  if (!plugin || !other) return;
  await client.openPlugin({ path: plugin });
  seen.length = 0;
  // What a linker does: write a new file, rename it over the old one.
  const tmp = `${plugin}.new`;
  fs.copyFileSync(other, tmp);
  fs.renameSync(tmp, plugin);
  await until(() => seen.some((e) => e.event === 'pluginOpened'));
  const changed = seen.find((e) => e.event === 'fileChanged')?.payload as { status: string; message: string };
  assert.deepEqual([changed.status, changed.message], ['reloaded', 'rebuilt, reloaded']);
  const state = (await client.currentPlugin())!;
  assert.ok(state.plugin?.handlers.some((h) => h.symbol === 'Segfault'));
  const r = await client.call({
    symbol: 'Ok',
    phase: 'request',
    request: { method: 'GET', url: 'http://example.test/', headers: [], body: '' },
  });
  assert.equal(r.outcome, 'continue');
});

test('bad files are a sentence, never a stack trace', async () => {
  const text = path.join(work, 'notes.txt');
  fs.writeFileSync(text, 'just some text, not a library\n');
  const state = await client.openPlugin({ path: text });
  assert.equal(state.binary, null);
  assert.equal(state.plugin, null);
  assert.match(state.error ?? '', /^[^\n]+$/);
  assert.doesNotMatch(state.error ?? '', /\bat .+:\d+:\d+/);
  await assert.rejects(
    client.openPlugin({ path: path.join(work, 'missing.so') }),
    (e: Error & { code?: string }) => e.code === 'not_found',
  );
  await assert.rejects(
    client.call(exampleRequest()),
    (e: Error & { code?: string }) => e.code === 'failed' && !/\n/.test(e.message),
  );
});
