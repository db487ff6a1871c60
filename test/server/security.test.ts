import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { ApiError, operations, type StudioApi } from '../../src/api/index.js';
import { startStudioServer, type StudioServer } from '../../src/server/studio-server.js';

/** The server under test needs an API to carry, not a plugin: every operation answers "unavailable". */
function apiWithoutEngine(): StudioApi & { onEvent(l: (e: string, p: unknown) => void): () => void } {
  const api: Record<string, unknown> = {};
  for (const op of Object.keys(operations)) {
    api[op] = async () => {
      throw new ApiError('unavailable', `${op}: no engine in this test`);
    };
  }
  api.cancel = async () => ({ cancelled: false });
  api.onEvent = () => () => undefined;
  return api as unknown as StudioApi & { onEvent(l: (e: string, p: unknown) => void): () => void };
}

let server: StudioServer;
let staticDir: string;

before(async () => {
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>studio</title>');
  fs.writeFileSync(path.join(staticDir, 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(os.tmpdir(), 'ps-secret.txt'), 'secret');
  server = await startStudioServer({ api: apiWithoutEngine(), staticDir });
});
after(async () => {
  await server.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(pathAndQuery: string, headers: Record<string, string> = {}, host = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host,
        port: server.port,
        path: pathAndQuery,
        headers: { Host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function cookie(): Promise<string> {
  const r = await get(`/?token=${server.token}`);
  const set = r.headers['set-cookie']?.[0] ?? '';
  return set.split(';')[0]!;
}

function noCors(r: Reply): void {
  for (const name of Object.keys(r.headers))
    assert.ok(!name.startsWith('access-control-'), `CORS header ${name}`);
}

test('the printed URL carries a long random token and points at 127.0.0.1', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
});

test('no token: refused', async () => {
  const r = await get('/');
  assert.equal(r.status, 401);
  assert.match(r.body, /token/);
  assert.equal((await get('/app.js')).status, 401);
  assert.equal((await get(`/?token=${'x'.repeat(43)}`)).status, 401);
  noCors(r);
});

test('the token is traded for an HttpOnly SameSite=Strict cookie and removed from the URL', async () => {
  const r = await get(`/?token=${server.token}`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/');
  const set = r.headers['set-cookie']?.[0] ?? '';
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Strict/);
  const page = await get('/', { Cookie: set.split(';')[0]! });
  assert.equal(page.status, 200);
  assert.match(page.body, /studio/);
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  noCors(page);
});

test('wrong Host (DNS rebinding) or foreign Origin: refused even with the token', async () => {
  const c = await cookie();
  const rebound = await get('/', { Cookie: c, Host: `attacker.example:${server.port}` });
  assert.equal(rebound.status, 421);
  const otherPort = await get('/', { Cookie: c, Host: `127.0.0.1:${server.port + 1}` });
  assert.equal(otherPort.status, 421);
  const foreign = await get('/', { Cookie: c, Origin: 'http://attacker.example' });
  assert.equal(foreign.status, 403);
  noCors(foreign);
  const same = await get('/app.js', {
    Cookie: c,
    Origin: `http://127.0.0.1:${server.port}`,
    Host: `localhost:${server.port}`,
  });
  assert.equal(same.status, 200);
});

test('paths cannot leave the UI folder', async () => {
  const c = await cookie();
  for (const p of [
    '/../ps-secret.txt',
    '/%2e%2e/ps-secret.txt',
    '/..%2fps-secret.txt',
    '/%00',
    '/a%5c..%5c..%5cps-secret.txt',
  ]) {
    const r = await get(p, { Cookie: c });
    assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.status}`);
    assert.doesNotMatch(r.body, /secret/);
  }
});

function openSocket(
  url: string,
  headers: Record<string, string>,
): Promise<{ ws: WebSocket | null; status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => resolve({ ws, status: 101 }));
    ws.on('unexpected-response', (_req, res) => resolve({ ws: null, status: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ ws: null, status: 0 }));
  });
}

test('the WebSocket needs the token, this Host and a same-origin Origin', async () => {
  const base = `ws://127.0.0.1:${server.port}/api`;
  assert.equal((await openSocket(base, {})).status, 401);
  assert.equal(
    (await openSocket(`${base}?token=${server.token}`, { Origin: 'http://evil.example' })).status,
    403,
  );
  assert.equal(
    (await openSocket(`${base}?token=${server.token}`, { Host: `evil.example:${server.port}` })).status,
    421,
  );
  const c = await cookie();
  const ok = await openSocket(base, { Cookie: c, Origin: `http://127.0.0.1:${server.port}` });
  assert.equal(ok.status, 101);
  const reply = await new Promise<unknown>((resolve) => {
    ok.ws!.once('message', (d) => resolve(JSON.parse(d.toString())));
    ok.ws!.send(JSON.stringify({ t: 'req', id: 7, op: 'cancel', args: {} }));
  });
  assert.deepEqual(reply, { t: 'res', id: 7, reply: { ok: true, result: { cancelled: false } } });
  ok.ws!.close();
});

test('the listening socket is bound to loopback only', async () => {
  const address = server.server.address() as net.AddressInfo;
  assert.equal(address.address, '127.0.0.1');
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (!external) return; // no other interface here: the bound address above is the whole proof
  const refused = await new Promise<boolean>((resolve) => {
    const s = net.connect({ host: external.address, port: server.port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
  assert.equal(refused, true, `reachable on ${external.address}`);
});
