/**
 * A Transport over any text-frame socket (the browser's WebSocket, the `ws` package in tests and
 * tools): JSON frames of wire.ts, request ids matched to replies. Pure, no DOM and no node, so the
 * renderer and Node share it; each side adapts its socket to FrameSocket in a few lines.
 */
import type { Transport } from './client.js';
import { ApiError } from './errors.js';
import { ServerFrameSchema, type RequestFrame } from './wire.js';

export interface FrameSocket {
  send(text: string): void;
  onMessage(listener: (text: string) => void): void;
  /** The socket closed or failed; pending requests fail with this reason. */
  onClose(listener: (reason: string) => void): void;
}

export interface FrameTransport extends Transport {
  /** Frames that were not valid JSON of the wire format (counted, then ignored). */
  readonly badFrames: number;
}

export function createFrameTransport(socket: FrameSocket): FrameTransport {
  let nextId = 1;
  let closed: string | null = null;
  let badFrames = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(event: string, payload: unknown) => void>();

  socket.onMessage((text) => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      badFrames++;
      return;
    }
    const frame = ServerFrameSchema.safeParse(data);
    if (!frame.success) {
      badFrames++;
      return;
    }
    if (frame.data.t === 'res') {
      const p = pending.get(frame.data.id);
      if (!p) return;
      pending.delete(frame.data.id);
      p.resolve(frame.data.reply);
    } else {
      for (const l of [...listeners]) l(frame.data.event, frame.data.payload);
    }
  });
  socket.onClose((reason) => {
    closed = reason || 'the connection closed';
    for (const p of pending.values()) p.reject(new ApiError('transport', closed));
    pending.clear();
  });

  return {
    get badFrames() {
      return badFrames;
    },
    request(op, args) {
      if (closed !== null) return Promise.reject(new ApiError('transport', closed));
      const id = nextId++;
      const frame: RequestFrame = { t: 'req', id, op, args };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          socket.send(JSON.stringify(frame));
        } catch (err) {
          pending.delete(id);
          reject(new ApiError('transport', err instanceof Error ? err.message : String(err)));
        }
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
