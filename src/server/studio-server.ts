/**
 * Browser mode: the built renderer over HTTP and the contract over one WebSocket (`/api`), on
 * 127.0.0.1 only, guarded by a token (see guard.ts). No CORS headers are ever sent: only the
 * studio's own page may use the API.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createDispatcher, RequestFrameSchema, type ServerFrame, type StudioApi } from '../api/index.js';
import { contentSecurityPolicy } from './csp.js';
import { newToken, RequestGuard } from './guard.js';
import { contentType, readStatic, resolveStatic } from './static-files.js';

export interface EventSource {
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

export interface StudioServerOptions {
  api: StudioApi & EventSource;
  /** The built renderer (vite outDir). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface StudioServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open, token included. */
  readonly url: string;
  readonly server: http.Server;
  close(): Promise<void>;
}

/** Largest request frame: a composed request may carry a multi-megabyte body. */
const MAX_FRAME = 256 * 1024 * 1024;

const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function refuse(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(`${text}\n`);
}

function refuseUpgrade(socket: Socket, status: number, text: string): void {
  const reason = http.STATUS_CODES[status] ?? 'Refused';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? newToken();
  const dispatch = createDispatcher(options.api);
  const clients = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  let guard: RequestGuard | null = null;

  const server = http.createServer((req, res) => {
    void handleHttp(req, res);
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const g = guard!;
    const refusal = g.check(req, false);
    if (refusal) return refuse(res, refusal.status, refusal.message);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served here.');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...COMMON_HEADERS,
        'Set-Cookie': g.setCookieHeader(),
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    const file = resolveStatic(options.staticDir, url.pathname);
    if (file === null) return refuse(res, 400, 'Bad path.');
    const body = await readStatic(file);
    if (body === null) {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return refuse(res, 503, 'The studio UI is not built: run `npm run build:renderer`, then reload.');
      }
      return refuse(res, 404, 'Not found.');
    }
    const type = contentType(file);
    const headers: Record<string, string> = {
      ...COMMON_HEADERS,
      'Content-Type': type,
      'Content-Length': String(body.length),
      'Cache-Control': 'no-cache',
    };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = contentSecurityPolicy({
        connect: [`ws://127.0.0.1:${g.port}`, `ws://localhost:${g.port}`],
      });
      headers['Cache-Control'] = 'no-store';
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const g = guard!;
    const refusal = g.check(req, false);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.message);
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/api') {
      return refuseUpgrade(socket, 404, 'The API is at /api.');
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }

  function accept(ws: WebSocket): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return ws.close(1007, 'not JSON');
      }
      const req = RequestFrameSchema.safeParse(frame);
      if (!req.success) return ws.close(1008, 'not a request frame');
      void dispatch(req.data.op, req.data.args).then((reply) =>
        send(ws, { t: 'res', id: req.data.id, reply }),
      );
    });
  }

  const unsubscribe = options.api.onEvent((event, payload) => {
    for (const ws of clients) send(ws, { t: 'event', event, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  guard = new RequestGuard(token, port);

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    server,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
