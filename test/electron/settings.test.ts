import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MAX_RECENT, RecentPlugins } from '../../electron/recent-plugins.js';
import {
  DEFAULT_WINDOW_STATE,
  loadWindowState,
  saveWindowState,
  visibleOn,
} from '../../electron/window-state.js';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ps-settings-'));

test('window state is remembered, and a damaged file or an off-screen position falls back', () => {
  const file = path.join(dir(), 'window-state.json');
  assert.deepEqual(loadWindowState(file), DEFAULT_WINDOW_STATE);
  saveWindowState(file, { x: 100, y: 80, width: 1400, height: 900, maximized: true });
  assert.deepEqual(loadWindowState(file), { x: 100, y: 80, width: 1400, height: 900, maximized: true });
  fs.writeFileSync(file, '{"width": "wide"');
  assert.deepEqual(loadWindowState(file), DEFAULT_WINDOW_STATE);
  const display = { x: 0, y: 0, width: 1920, height: 1080 };
  const onScreen = { x: 100, y: 80, width: 1400, height: 900, maximized: false };
  assert.deepEqual(visibleOn(onScreen, [display]), onScreen);
  assert.deepEqual(visibleOn({ ...onScreen, x: 5000 }, [display]), {
    width: 1400,
    height: 900,
    maximized: false,
  });
});

test('recent plugins: most recent first, no duplicates, bounded, vanished files hidden', () => {
  const d = dir();
  const files = Array.from({ length: MAX_RECENT + 2 }, (_, i) => path.join(d, `lib${i}.so`));
  for (const f of files) fs.writeFileSync(f, '');
  const store = path.join(d, 'recent.json');
  const recent = new RecentPlugins(store);
  for (const f of files) recent.add(f);
  recent.add(files[5]!);
  assert.equal(recent.items.length, MAX_RECENT);
  assert.equal(recent.items[0], files[5]);
  assert.equal(new Set(recent.items).size, MAX_RECENT);
  fs.rmSync(files[5]!);
  assert.equal(new RecentPlugins(store).items.includes(files[5]!), false);
  recent.clear();
  assert.deepEqual(new RecentPlugins(store).items, []);
});
