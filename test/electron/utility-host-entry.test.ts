/**
 * The utilityProcess entry shim with the runner's real host and supervisor and real compiled
 * plugins. Electron's parentPort is played by fake-parent-port.mjs (JSON lines on fd 3), since the
 * Electron binary is not available here; everything else is the code the app runs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openPlugin } from '../../src/runner/index.js';
import type { HostLaunch, HostProcess, HostSpawner } from '../../src/runner/types.js';
import { requirePlugin } from '../helpers/plugins.js';

const here = import.meta.dirname;
const root = path.join(here, '..', '..');
const FAKE_PORT = path.join(here, 'fake-parent-port.mjs');

/** The entry as the app runs it: compiled JavaScript (tsc emits dist/electron/; esbuild does the same here). */
async function compiledEntry(): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = path.join(root, 'build', 'electron-test', `utility-host-entry-${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [path.join(root, 'electron', 'utility-host-entry.ts')],
    outfile,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  process.once('exit', () => fs.rmSync(outfile, { force: true }));
  return outfile;
}
let ENTRY = '';

/** What utility-host.ts does with utilityProcess.fork(ENTRY, [script, ...args]), over a plain child. */
const viaEntry: HostSpawner = (launch: HostLaunch): HostProcess => {
  const scriptAt = launch.args.findIndex((a) => /\.(c|m)?(j|t)s$/.test(a));
  const execArgv = launch.args.slice(0, scriptAt);
  const child = spawn(
    process.execPath,
    [...execArgv, '--import', FAKE_PORT, ENTRY, ...launch.args.slice(scriptAt)],
    { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...launch.env } },
  );
  const channel = child.stdio[3] as unknown as NodeJS.ReadWriteStream;
  channel.setEncoding('utf8');
  const listeners: ((m: unknown) => void)[] = [];
  let pending = '';
  channel.on('data', (chunk: string) => {
    pending += chunk;
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      const m = JSON.parse(pending.slice(0, i)) as unknown;
      pending = pending.slice(i + 1);
      for (const l of listeners) l(m);
    }
  });
  channel.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    send: (m) => void channel.write(`${JSON.stringify(m)}\n`),
    onMessage: (l) => void listeners.push(l),
    onStdout: (l) => void child.stdout?.on('data', l),
    onStderr: (l) => void child.stderr?.on('data', l),
    onExit: (l) => void child.on('close', (code, signal) => l(code, signal)),
    kill: () => void child.kill('SIGKILL'),
  };
};

test(
  'the runner host works through the utilityProcess entry: call, crash, next call',
  { timeout: 120_000 },
  async (t) => {
    const example = await requirePlugin(t, 'example-c');
    const crash = await requirePlugin(t, 'crash-c');
    if (!example || !crash) return;
    ENTRY = await compiledEntry();
    const request = {
      method: 'GET',
      url: 'http://example.test/',
      headers: [] as [string, string][],
      body: '',
    };

    const a = await openPlugin(example, { spawn: viaEntry });
    try {
      const r = await a.call({ symbol: 'AddHeader', phase: 'request', request });
      assert.equal(r.outcome, 'continue');
      assert.deepEqual(r.request.headers.at(-1), ['X-Example', 'plugin-studio']);
    } finally {
      await a.close();
    }

    const b = await openPlugin(crash, { spawn: viaEntry });
    try {
      const c = await b.call({ symbol: 'StdioThenCrash', phase: 'request', request });
      assert.equal(c.outcome, 'crash');
      assert.equal(c.crash?.signal, 'SIGSEGV');
      const next = await b.call({ symbol: 'Ok', phase: 'request', request });
      assert.equal(next.outcome, 'continue');
    } finally {
      await b.close();
    }
  },
);
