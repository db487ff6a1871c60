/**
 * The contract over Electron IPC: one `invoke` channel for every operation (arguments validated by
 * the contract's zod schemas in the dispatcher) and one channel for events. Each message is checked
 * to come from our own page (frame URL on app://studio/) before anything else happens.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import { createDispatcher, type Reply, type StudioApi } from '../src/api/index.js';
import { CHANNELS, isAppUrl } from './security.js';

function trusted(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  // The top frame of our own page only: no subframe, no other origin.
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

const REFUSED: Reply = {
  ok: false,
  error: { code: 'transport', message: 'Refused: the request did not come from the studio window.' },
};

export interface IpcWiring {
  /** Sends an event to every studio window. */
  broadcast(event: string, payload: unknown): void;
  dispose(): void;
}

export function registerIpc(
  api: StudioApi,
  windows: () => WebContents[],
  onDroppedFile: (path: string) => void,
): IpcWiring {
  const dispatch = createDispatcher(api);
  ipcMain.handle(CHANNELS.request, (event, op: unknown, args: unknown) =>
    trusted(event) ? dispatch(op, args) : REFUSED,
  );
  const dropped = (event: IpcMainEvent, file: unknown) => {
    const path = z.string().min(1).max(4096).safeParse(file);
    if (trusted(event) && path.success) onDroppedFile(path.data);
  };
  ipcMain.on(CHANNELS.openDropped, dropped);
  return {
    broadcast(event, payload) {
      for (const wc of windows())
        if (!wc.isDestroyed() && isAppUrl(wc.getURL())) wc.send(CHANNELS.event, event, payload);
    },
    dispose() {
      ipcMain.removeHandler(CHANNELS.request);
      ipcMain.removeListener(CHANNELS.openDropped, dropped);
    },
  };
}
