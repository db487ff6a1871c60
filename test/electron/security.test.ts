/**
 * The Electron shell's security settings, checked against the list of issue 5 without the
 * Electron binary: window options, CSP, the app:// origin check, IPC channels, and the main
 * process's hooks (read from its source, since it cannot run here).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chromiumArgs, chromiumSwitches, withListValue } from '../../electron/chromium.js';
import { decodeExitStatus } from '../../electron/exit-status.js';
import { menuTemplate, type MenuActions } from '../../electron/menu.js';
import {
  APP_ENTRY,
  CHANNELS,
  isAppUrl,
  RENDERER_CSP,
  webPreferences,
  windowOptions,
} from '../../electron/security.js';
import { contentSecurityPolicy } from '../../src/server/csp.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const source = (file: string) => fs.readFileSync(path.join(root, 'electron', file), 'utf8');

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

test('web preferences: context isolation, sandbox, no Node in any frame or worker, web security on', () => {
  const prefs = webPreferences('/app/preload.cjs');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.navigateOnDragDrop, false);
  assert.equal(prefs.preload, '/app/preload.cjs');
  const win = windowOptions('/app/preload.cjs', { width: 1000, height: 700 });
  assert.deepEqual(win.webPreferences, prefs);
  assert.equal(win.show, false);
});

test('CSP: scripts only from our origin, no eval, no inline script, no plugins, no framing', () => {
  for (const csp of [RENDERER_CSP, contentSecurityPolicy({ connect: ['ws://127.0.0.1:1234'] })]) {
    const d = directives(csp);
    assert.deepEqual(d.get('default-src'), ["'self'"]);
    assert.deepEqual(d.get('script-src'), ["'self'"]);
    assert.deepEqual(d.get('object-src'), ["'none'"]);
    assert.deepEqual(d.get('base-uri'), ["'none'"]);
    assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(d.get('worker-src'), ["'self'"]);
    assert.doesNotMatch(csp, /unsafe-eval|wasm-unsafe-eval|\*/);
    for (const [name, values] of d) {
      if (name !== 'style-src') assert.ok(!values.includes("'unsafe-inline'"), `${name} allows inline`);
    }
  }
  assert.deepEqual(directives(RENDERER_CSP).get('connect-src'), ["'self'"]);
});

test('only app://studio/ counts as our page', () => {
  assert.equal(APP_ENTRY, 'app://studio/index.html');
  assert.equal(isAppUrl(APP_ENTRY), true);
  assert.equal(isAppUrl('app://studio/assets/x.js'), true);
  for (const url of [
    'file:///index.html',
    'http://127.0.0.1/',
    'app://evil/index.html',
    'https://studio/',
    'not a url',
    '',
  ]) {
    assert.equal(isAppUrl(url), false, url);
  }
});

test('the preload exposes only the transport, on the channels the main process handles', () => {
  const preload = source('preload.cts');
  for (const channel of Object.values(CHANNELS)) assert.ok(preload.includes(`'${channel}'`), channel);
  assert.equal(preload.match(/exposeInMainWorld\(/g)?.length, 1);
  assert.match(preload, /exposeInMainWorld\('pluginStudio'/);
  // Raw ipcRenderer never reaches the page.
  assert.doesNotMatch(preload, /exposeInMainWorld\([^)]*ipcRenderer[,)]/);
});

test('the main process blocks navigation, new windows, webviews and permissions, and loads app://', () => {
  const main = source('main.ts');
  assert.match(main, /'will-navigate', \(e\) => e\.preventDefault\(\)/);
  assert.match(main, /'will-redirect', \(e\) => e\.preventDefault\(\)/);
  assert.match(main, /'will-attach-webview', \(e\) => e\.preventDefault\(\)/);
  assert.match(main, /setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
  assert.match(main, /setPermissionRequestHandler\(\(_wc, _permission, callback\) => callback\(false\)\)/);
  assert.match(main, /setPermissionCheckHandler\(\(\) => false\)/);
  assert.match(main, /loadURL\(APP_ENTRY\)/);
  assert.doesNotMatch(main, /loadFile|file:\/\//);
  const ipc = source('ipc.ts');
  assert.match(ipc, /trusted\(event\) \? dispatch\(op, args\) : REFUSED/);
  assert.match(ipc, /isAppUrl\(frame\.url\)/);
});

test('the window turns off the deferral of tasks after input, before the app is ready', () => {
  assert.deepEqual(chromiumSwitches(), [['disable-features', 'DeferRendererTasksAfterInput']]);
  assert.deepEqual(chromiumArgs(), ['--disable-features=DeferRendererTasksAfterInput']);
  const main = source('main.ts');
  assert.equal(withListValue('', 'A'), 'A');
  assert.equal(withListValue('Mine,Other', 'A'), 'Mine,Other,A');
  assert.equal(withListValue('A,Mine', 'A'), 'A,Mine');
  const applied = main.indexOf(
    'app.commandLine.appendSwitch(name, withListValue(app.commandLine.getSwitchValue(name), value))',
  );
  // Chromium reads its switches at start-up: they are set when main.ts loads, before whenReady.
  assert.ok(
    applied > 0 && applied < main.indexOf('app.whenReady()'),
    'main.ts applies chromiumSwitches() at load',
  );
});

test('the native menu has the items the issue lists', () => {
  const noop = () => undefined;
  const actions: MenuActions = {
    openPlugin: noop,
    openRecent: noop,
    clearRecent: noop,
    reloadPlugin: noop,
    saveFixture: noop,
    runCall: noop,
    cancelCall: noop,
    showAbi: noop,
  };
  const menu = menuTemplate(actions, ['/p/libone.so'], 'linux');
  const file = menu.find((m) => m.label === 'File');
  const labels = (file?.submenu as { label?: string }[]).map((i) => i.label);
  for (const l of ['Open Plugin…', 'Open Recent', 'Reload Plugin', 'Save Fixture'])
    assert.ok(labels.includes(l), l);
  assert.ok(menu.some((m) => m.role === 'editMenu'));
  assert.ok(menu.some((m) => m.label === 'View'));
  const help = menu.find((m) => m.role === 'help');
  assert.match(String((help?.submenu as { label?: string }[])[0]?.label), /ABI/);
  const recent = (file?.submenu as { label?: string; submenu?: { label?: string }[] }[]).find(
    (i) => i.label === 'Open Recent',
  );
  assert.match(String(recent?.submenu?.[0]?.label), /libone\.so/);
  assert.equal(menuTemplate(actions, [], 'darwin')[0]?.role, 'appMenu');
});

test('utilityProcess exit statuses decode to the signal or exit code', () => {
  assert.deepEqual(decodeExitStatus(11, 'linux'), { code: null, signal: 'SIGSEGV' });
  assert.deepEqual(decodeExitStatus(6 | 0x80, 'linux'), { code: null, signal: 'SIGABRT' });
  assert.deepEqual(decodeExitStatus(3 << 8, 'linux'), { code: 3, signal: null });
  assert.deepEqual(decodeExitStatus(0, 'linux'), { code: 0, signal: null });
  assert.deepEqual(decodeExitStatus(0xc0000005, 'win32'), { code: 0xc0000005, signal: null });
});
