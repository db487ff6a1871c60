import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ApiError, operations, type EventName } from '../../src/api/index.js';
import { readAbiDocument } from '../../src/studio/abi-document.js';
import { describeDefaultPlugin, exampleRequest } from '../../src/studio/default-plugin.js';
import { watchFile, type FileChange } from '../../src/studio/file-watcher.js';
import { createEngine, StudioService } from '../../src/studio/index.js';
import { requirePlugin } from '../helpers/plugins.js';
import { requireTool } from '../helpers/tools.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-studio-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function service(): StudioService {
  return new StudioService({
    engine: createEngine({ dataDir: path.join(work, 'data') }),
    watchDebounceMs: 50,
  });
}

function until(check: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () =>
      check() ? resolve() : Date.now() - start > ms ? reject(new Error('timed out')) : setTimeout(tick, 10);
    tick();
  });
}

test('the service implements every operation of the contract', () => {
  const s = service();
  for (const op of Object.keys(operations))
    assert.equal(typeof (s as unknown as Record<string, unknown>)[op], 'function', op);
});

test('without a plugin, operations that need one say so', async () => {
  const s = service();
  assert.equal(await s.currentPlugin(), null);
  await assert.rejects(s.symbols(), (e: unknown) => e instanceof ApiError && e.code === 'no_plugin');
  await assert.rejects(
    s.call(exampleRequest()),
    (e: unknown) => e instanceof ApiError && e.code === 'no_plugin',
  );
  await assert.rejects(s.fixturesList(), (e: unknown) => e instanceof ApiError && e.code === 'no_plugin');
  assert.deepEqual(await s.cancel(), { cancelled: false });
  assert.deepEqual(await s.closePlugin(), { closed: false });
});

test('a folder or a missing file is refused with a sentence', async () => {
  const s = service();
  await assert.rejects(
    s.openPlugin({ path: work }),
    (e: unknown) => e instanceof ApiError && /folder/.test(e.message),
  );
  await assert.rejects(
    s.openPlugin({ path: path.join(work, 'nope.so') }),
    (e: unknown) => e instanceof ApiError && e.code === 'not_found',
  );
});

test('default plugin: available with a ready request when built, else how to build it', () => {
  const missing = describeDefaultPlugin(path.join(work, 'libexample-c.so'));
  assert.equal(missing.available, false);
  assert.match(missing.reason ?? '', /npm run build:examples/);
  const built = path.join(work, 'built.so');
  fs.writeFileSync(built, '');
  const ready = describeDefaultPlugin(built);
  assert.equal(ready.available, true);
  assert.equal(ready.request?.symbol, 'AddHeader');
  assert.ok(operations.call.args.safeParse(ready.request).success);
});

test('the ABI document is read from the first place that has it', async () => {
  const doc = path.join(work, 'ABI.md');
  fs.writeFileSync(doc, '# Native handler ABI, version 1\n\ntext\n');
  assert.deepEqual(await readAbiDocument([path.join(work, 'missing.md'), doc]), {
    title: 'Native handler ABI, version 1',
    markdown: '# Native handler ABI, version 1\n\ntext\n',
  });
  await assert.rejects(
    readAbiDocument([path.join(work, 'missing.md')]),
    (e: unknown) => e instanceof ApiError && e.code === 'unavailable',
  );
});

test('the file watcher reports a rebuild once per burst, and a removal', async () => {
  const file = path.join(work, 'watched.so');
  fs.writeFileSync(file, 'v1');
  const changes: FileChange[] = [];
  const w = watchFile(file, (c) => changes.push(c), 50);
  try {
    for (let i = 0; i < 5; i++) fs.appendFileSync(file, `chunk ${i}`);
    await until(() => changes.length === 1);
    fs.writeFileSync(path.join(work, 'unrelated.txt'), 'x');
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(changes, ['changed']);
    fs.rmSync(file);
    await until(() => changes.length === 2);
    assert.deepEqual(changes, ['changed', 'removed']);
  } finally {
    w.close();
  }
});

test('open, handlers marked, fixtures folder watched, removal reported, close', async (t) => {
  const built = await requirePlugin(t, 'example-c');
  if (!built) return;
  const plugin = path.join(work, 'libexample-c.so');
  fs.copyFileSync(built, plugin);
  const s = service();
  const events: { event: EventName; payload: unknown }[] = [];
  s.onEvent((event, payload) => events.push({ event, payload }));
  try {
    fs.mkdirSync(path.join(work, 'fixtures', 'auth'), { recursive: true });
    const state = await s.openPlugin({ path: plugin });
    assert.equal(state.host, 'ready');
    assert.equal(state.fixturesDir, path.join(work, 'fixtures'));
    // Someone else edits the fixtures folder: the panel hears of it.
    fs.writeFileSync(path.join(work, 'fixtures', 'auth', 'edited.yaml'), 'version: 2\n');
    await until(() => events.some((e) => e.event === 'fixturesChanged'));
    const table = await s.symbols();
    const i = table.name.indexOf('StripServer');
    assert.equal(table.extra[String(i)]?.handler?.phase, 'response');
    fs.rmSync(plugin);
    await until(() => events.some((e) => e.event === 'fileChanged'));
    assert.equal(
      (events.find((e) => e.event === 'fileChanged')?.payload as { status: string }).status,
      'removed',
    );
    assert.deepEqual(await s.closePlugin(), { closed: true });
    assert.equal(await s.currentPlugin(), null);
  } finally {
    await s.dispose();
  }
});

test(
  'a Tyk-style Go plugin: handlers marked from the Go types, progress while the bridge builds',
  { timeout: 300_000 },
  async (t) => {
    if (!requireTool(t, 'go', 'golang-go', 'version')) return;
    const { buildGoTykPlugin } = await import('../plugins/go-tyk/build.js');
    const plugin = buildGoTykPlugin('plain');
    const s = service();
    const progress: string[] = [];
    s.onEvent((event, payload) => {
      if (event === 'progress') progress.push((payload as { message: string }).message);
    });
    try {
      const state = await s.openPlugin({ path: plugin });
      assert.equal(state.error, null, state.error ?? '');
      assert.equal(state.plugin?.kind, 'go-plugin');
      assert.ok(
        progress.some((m) => /Go bridge/.test(m)),
        progress.join('\n'),
      );
      const table = await s.symbols();
      const marked = Object.entries(table.extra)
        .filter(([, e]) => e.handler)
        .map(([i]) => table.name[Number(i)]!.replace(/^.*\./, ''))
        .sort();
      const handlers = state.plugin!.handlers.map((h) => h.symbol).sort();
      assert.ok(handlers.length > 0);
      assert.deepEqual(marked, handlers);
    } finally {
      await s.dispose();
    }
  },
);
