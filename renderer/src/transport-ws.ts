/**
 * Browser mode: the contract over one WebSocket at /api on the page's own origin. The page was
 * authorised by the server's cookie (set when the printed ?token= URL was opened), which the
 * browser sends with the WebSocket handshake. Frames are queued until the socket opens, and a lost
 * socket is reopened (calls in flight fail with a transport error the UI shows).
 */
import { createFrameTransport, type FrameTransport } from '../../src/api/frame-transport.js';
import type { Transport } from './api.js';

export function apiSocketUrl(loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api`;
}

export interface WsTransport extends Transport {
  onConnection(listener: (connected: boolean, reason: string | null) => void): void;
}

export function createWsTransport(url = apiSocketUrl()): WsTransport {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const connection = new Set<(connected: boolean, reason: string | null) => void>();
  let current: FrameTransport;
  let retry = 250;

  const connect = () => {
    const ws = new WebSocket(url);
    const queue: string[] = [];
    let closeListener: (reason: string) => void = () => {};
    let messageListener: (text: string) => void = () => {};
    ws.addEventListener('open', () => {
      retry = 250;
      for (const text of queue.splice(0)) ws.send(text);
      for (const l of connection) l(true, null);
    });
    ws.addEventListener('message', (e) => {
      if (typeof e.data === 'string') messageListener(e.data);
    });
    ws.addEventListener('close', (e) => {
      const reason =
        e.reason || (e.code === 1006 ? 'the studio server is not reachable' : `closed (${e.code})`);
      closeListener(`lost the connection to the studio: ${reason}`);
      for (const l of connection) l(false, reason);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    });
    current = createFrameTransport({
      send(text) {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
        else if (ws.readyState === WebSocket.CONNECTING) queue.push(text);
        else throw new Error('the connection to the studio is closed');
      },
      onMessage(l) {
        messageListener = l;
      },
      onClose(l) {
        closeListener = l;
      },
    });
    current.onEvent((event, payload) => {
      for (const l of [...listeners]) l(event, payload);
    });
  };
  connect();

  return {
    request: (op, args) => current.request(op, args),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      connection.add(listener);
    },
  };
}
