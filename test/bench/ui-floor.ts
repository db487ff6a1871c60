// The floor under the Run benchmark of test/bench/ui.ts: a bare page in the same browser that does
// the least a Run can do (click -> WebSocket request -> reply -> one text node -> painted), with the
// same User Timing marks as the studio, so both are measured by the same code in the same run.
// Headless Chromium holds tasks such as a WebSocket message back until the frame after a click has
// been produced, so even this page cannot paint a reply before the second frame after the click:
// the studio's figure is only meaningful next to this one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8" />
<title>Run floor</title>
<body style="font: 14px system-ui; margin: 20px">
<button type="button" id="run">Run</button>
<div id="out" role="status">No call yet</div>
<script>
  const out = document.getElementById('out');
  const ws = new WebSocket('ws://' + location.host + '/echo');
  let n = 0;
  document.getElementById('run').addEventListener('click', () => {
    performance.mark('ps:call-sent');
    ws.send(JSON.stringify({ id: ++n }));
  });
  ws.addEventListener('message', (e) => {
    const reply = JSON.parse(e.data);
    performance.mark('ps:call-returned');
    out.textContent = 'reply ' + reply.id;
    performance.mark('ps:result-rendered');
    requestAnimationFrame(() => {
      performance.mark('ps:result-painted:frame');
      setTimeout(() => performance.mark('ps:result-painted'), 0);
    });
  });
  ws.addEventListener('open', () => document.body.setAttribute('data-ready', ''));
</script>
</body>
</html>
`;

export interface FloorPage {
  url: string;
  close(): Promise<void>;
}

/** Serves the bare page and its WebSocket echo on loopback (any free port). */
export async function startFloorPage(): Promise<FloorPage> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(PAGE);
  });
  const wss = new WebSocketServer({ server, path: '/echo' });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(String(data))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // Another site than the studio's 127.0.0.1, so Chromium gives the page its own renderer process.
    url: `http://localhost:${port}/`,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
