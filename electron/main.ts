/**
 * The Electron main process: one window, the studio service, menus, dialogs. Thin glue: everything
 * that can run headless lives in src/ and is tested there.
 */
import { app, BrowserWindow, dialog, Menu, screen, session, type WebContents } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChildHost } from '../src/runner/index.js';
import {
  createEngine,
  defaultPluginPath,
  DEFAULT_PLUGIN_FILE,
  packageRoot,
  StudioService,
} from '../src/studio/index.js';
import { handleAppProtocol, registerAppScheme } from './app-protocol.js';
import { chromiumSwitches, withListValue } from './chromium.js';
import { registerIpc, type IpcWiring } from './ipc.js';
import { menuTemplate } from './menu.js';
import { RecentPlugins } from './recent-plugins.js';
import { APP_ENTRY, isAppUrl, windowOptions } from './security.js';
import { createUtilityHostSpawner } from './utility-host.js';
import { loadWindowState, saveWindowState, visibleOn } from './window-state.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, 'preload.cjs');

registerAppScheme();
for (const [name, value] of chromiumSwitches()) {
  // appendSwitch replaces: features the user disabled on the command line stay disabled.
  app.commandLine.appendSwitch(name, withListValue(app.commandLine.getSwitchValue(name), value));
}
/** A second launch hands its plugin to the running app (second-instance) and quits. */
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();

let win: BrowserWindow | null = null;
let service: StudioService;
let ipc: IpcWiring;
let recent: RecentPlugins;

/** A plugin path given on the command line: `plugin-studio-app path/to/plugin.so`. */
function pluginFromArgv(argv: string[]): string | null {
  const args = argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-'));
  const file = args.find((a) => fs.existsSync(a) && fs.statSync(a).isFile());
  return file ? path.resolve(file) : null;
}

/** The example plugin: built into build/examples/ in a checkout, shipped in resources/ when packaged. */
function examplePlugin(): string {
  const shipped = path.join(process.resourcesPath, 'examples', DEFAULT_PLUGIN_FILE);
  return app.isPackaged && fs.existsSync(shipped) ? shipped : defaultPluginPath();
}

function send(command: 'saveFixture' | 'openPlugin' | 'showAbi' | 'runCall' | 'cancelCall'): void {
  ipc.broadcast('menuCommand', { command });
}

async function openPlugin(file: string): Promise<void> {
  try {
    const state = await service.open(file, true);
    recent.add(state.path);
    app.addRecentDocument(state.path);
    buildMenu();
  } catch (err) {
    dialog.showErrorBox('Cannot open the plugin', err instanceof Error ? err.message : String(err));
  }
}

async function chooseAndOpen(): Promise<void> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open Plugin',
    properties: ['openFile'],
    filters: [
      { name: 'Shared libraries', extensions: ['so', 'dylib', 'dll', 'bundle'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const file = result.filePaths[0];
  if (!result.canceled && file) await openPlugin(file);
}

function buildMenu(): void {
  const template = menuTemplate(
    {
      openPlugin: () => void chooseAndOpen(),
      openRecent: (file) => void openPlugin(file),
      clearRecent: () => {
        recent.clear();
        app.clearRecentDocuments();
        buildMenu();
      },
      reloadPlugin: () =>
        void service.reload().then(
          (state) => ipc.broadcast('pluginOpened', state),
          (err: unknown) =>
            dialog.showErrorBox('Cannot reload the plugin', err instanceof Error ? err.message : String(err)),
        ),
      saveFixture: () => send('saveFixture'),
      runCall: () => send('runCall'),
      cancelCall: () => send('cancelCall'),
      showAbi: () => send('showAbi'),
    },
    recent.items,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function lockDown(): void {
  // No permission (camera, notifications, clipboard-read...) is ever granted to the page.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function createWindow(): void {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const state = visibleOn(
    loadWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const { maximized, ...bounds } = state;
  win = new BrowserWindow(windowOptions(PRELOAD, bounds));
  if (maximized) win.maximize();
  win.once('ready-to-show', () => win?.show());
  const remember = () => {
    if (!win || win.isDestroyed()) return;
    const b = win.getNormalBounds();
    saveWindowState(stateFile, { ...b, maximized: win.isMaximized() });
  };
  win.on('close', remember);
  win.on('closed', () => (win = null));
  void win.loadURL(APP_ENTRY);
}

function studioWindows(): WebContents[] {
  return BrowserWindow.getAllWindows()
    .map((w) => w.webContents)
    .filter((wc) => isAppUrl(wc.getURL()));
}

app.on('second-instance', (_event, argv) => {
  const file = pluginFromArgv(argv);
  if (file) void openPlugin(file);
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

// macOS: a plugin dropped on the Dock icon or opened with the app from Finder.
app.on('open-file', (event, file) => {
  event.preventDefault();
  if (app.isReady()) void openPlugin(file);
  else app.once('ready', () => void openPlugin(file));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) createWindow();
});

app.on('will-quit', () => {
  ipc?.dispose();
  void service?.dispose();
});

void app.whenReady().then(async () => {
  if (!primary) return;
  lockDown();
  handleAppProtocol(path.join(packageRoot(), 'dist', 'renderer'));
  recent = new RecentPlugins(path.join(app.getPath('userData'), 'recent-plugins.json'));
  service = new StudioService({
    engine: createEngine({ dataDir: app.getPath('userData') }),
    spawn: createUtilityHostSpawner(spawnChildHost),
    defaultPlugin: examplePlugin(),
  });
  ipc = registerIpc(service, studioWindows, (file) => void openPlugin(file));
  service.onEvent((event, payload) => ipc.broadcast(event, payload));
  buildMenu();

  const requested = pluginFromArgv(process.argv);
  const initial = requested ?? (fs.existsSync(examplePlugin()) ? examplePlugin() : null);
  if (initial) {
    try {
      const state = await service.open(initial);
      if (requested) recent.add(state.path);
    } catch (err) {
      dialog.showErrorBox('Cannot open the plugin', err instanceof Error ? err.message : String(err));
    }
  }
  buildMenu();
  createWindow();
});
