/**
 * A minimal supervisor for tests of the Go bridge alone: spawns it as the runner does (IPC channel,
 * JSON serialisation, fd 1 and 2 captured) and splits the captured output at the end markers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { endMarker, type FromHost, type ResultMessage } from '../../src/runner/protocol.js';
import type { HostLaunch } from '../../src/runner/types.js';

export interface Exit {
  code: number | null;
  signal: string | null;
  stderr: string;
}

export class BridgeClient {
  readonly child: ChildProcess;
  private stdout = '';
  private stderr = '';
  private readonly waiting: ((m: FromHost) => void)[] = [];
  readonly exited: Promise<Exit>;
  private nextId = 1;

  constructor(launch: HostLaunch) {
    this.child = spawn(launch.command, launch.args, {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      env: { ...process.env, ...launch.env },
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString('utf8')));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.child.on('message', (m: FromHost) => this.waiting.shift()?.(m));
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => resolve({ code, signal, stderr: this.stderr })),
    );
  }

  private next(): Promise<FromHost> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async open(path: string): Promise<FromHost> {
    const reply = this.next();
    this.child.send({ t: 'open', path, maxOutputBytes: 64 << 20 });
    return reply;
  }

  /** Sends a call and returns the result with the output attributed to it by the markers. */
  async call(
    symbol: string,
    phase: 'request' | 'response',
    envelope: unknown,
  ): Promise<{ result: ResultMessage; stdout: string; stderr: string }> {
    const id = this.nextId++;
    const reply = this.next();
    this.child.send({ t: 'call', id, symbol, phase, envelope: JSON.stringify(envelope) });
    const result = (await reply) as ResultMessage;
    // The markers are written before the result is sent; give the pipes a moment to deliver them.
    // A stream the host reports without a marker had been read to the end already.
    const want = result.markers ?? { stdout: true, stderr: true };
    const marker = endMarker(id);
    for (
      let i = 0;
      i < 200 &&
      ((want.stdout && !this.stdout.includes(marker)) || (want.stderr && !this.stderr.includes(marker)));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const cut = (s: string): [string, string] => {
      const at = s.indexOf(marker);
      return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + marker.length)];
    };
    const [out, restOut] = cut(this.stdout);
    const [err, restErr] = cut(this.stderr);
    this.stdout = restOut;
    this.stderr = restErr;
    return { result, stdout: out, stderr: err };
  }

  async bench(
    symbol: string,
    phase: 'request' | 'response',
    envelope: unknown,
    n: number,
  ): Promise<FromHost> {
    const id = this.nextId++;
    for (;;) {
      const reply = this.next();
      if (n >= 0) {
        this.child.send({ t: 'bench', id, symbol, phase, envelope: JSON.stringify(envelope), n });
        n = -1;
      }
      const m = await reply;
      if ((m as { t: string }).t !== 'bench_progress') return m;
    }
  }

  /** Sends a call that is expected to end the process. */
  async callToDeath(symbol: string, envelope: unknown): Promise<Exit> {
    this.child.send({
      t: 'call',
      id: this.nextId++,
      symbol,
      phase: 'request',
      envelope: JSON.stringify(envelope),
    });
    return this.exited;
  }

  close(): Promise<Exit> {
    this.child.kill('SIGKILL');
    return this.exited;
  }
}

export function requestEnvelope(
  overrides: Record<string, unknown> = {},
  request: Record<string, unknown> = {},
): unknown {
  return {
    abi: 1,
    phase: 'request',
    request: {
      method: 'POST',
      url: 'http://api.example.com/orders?id=7',
      proto: 'HTTP/1.1',
      remote_addr: '127.0.0.1:51000',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Trace', 'a'],
        ['X-Trace', 'b'],
      ],
      body: '{"qty":1}',
      body_encoding: 'utf8',
      ...request,
    },
    response: null,
    config: {},
    ...overrides,
  };
}

export function responseEnvelope(): unknown {
  return requestEnvelope({
    phase: 'response',
    response: {
      status: 200,
      headers: [
        ['Server', 'nginx'],
        ['Content-Type', 'text/plain'],
      ],
      body: 'the secret is out',
      body_encoding: 'utf8',
    },
  });
}
