/**
 * The preload: exposes the contract's Transport as `window.pluginStudio` and nothing else. It runs
 * sandboxed, so it is one CommonJS file that imports only 'electron' (channel names are repeated
 * from security.ts; a test keeps them equal).
 */
// A sandboxed preload is CommonJS: `import =` is how TypeScript writes require() there.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');

const { contextBridge, ipcRenderer, webUtils } = electron;

const REQUEST = 'studio:request';
const EVENT = 'studio:event';
const OPEN_DROPPED = 'studio:open-dropped';

type Listener = (event: string, payload: unknown) => void;

contextBridge.exposeInMainWorld('pluginStudio', {
  request: (op: string, args: unknown): Promise<unknown> => ipcRenderer.invoke(REQUEST, op, args),
  onEvent(listener: Listener): () => void {
    const handler = (_e: unknown, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(EVENT, handler);
    return () => {
      ipcRenderer.removeListener(EVENT, handler);
    };
  },
  electron: true,
});

// A plugin file dropped anywhere on the window opens it, unless the page handled the drop itself
// (a body-from-file drop zone calls preventDefault). The sandboxed page cannot see file paths;
// webUtils can, here.
interface DropEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  dataTransfer: {
    files: ArrayLike<Parameters<typeof electron.webUtils.getPathForFile>[0]>;
    types: ArrayLike<string>;
  } | null;
}
const target = globalThis as unknown as {
  addEventListener(type: 'dragover' | 'drop', listener: (e: DropEvent) => void): void;
};
target.addEventListener('dragover', (e) => {
  if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault();
});
target.addEventListener('drop', (e) => {
  if (e.defaultPrevented || !e.dataTransfer || e.dataTransfer.files.length !== 1) return;
  const file = e.dataTransfer.files[0];
  if (!file) return;
  e.preventDefault();
  const path = webUtils.getPathForFile(file);
  if (path) ipcRenderer.send(OPEN_DROPPED, path);
});
