/** The child_process HostSpawner: how the CLI, the server and the tests start plugin hosts. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { HostLaunch, HostProcess, HostSpawner } from './types.js';

/**
 * Hosts still running. A host stuck in a handler never sees the IPC channel close, so when the
 * engine process exits it kills them itself rather than leave them spinning.
 */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

export const spawnChildHost: HostSpawner = (launch: HostLaunch): HostProcess => {
  const child = spawn(launch.command, launch.args, {
    stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
    ...(launch.cwd ? { cwd: launch.cwd } : {}),
    env: launch.env ? { ...process.env, ...launch.env } : process.env,
  });
  track(child);
  child.stdin?.end();
  // A host that dies while we write to it must not take the engine down with an EPIPE.
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (child.connected) child.send(message as object, (err) => void err);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onStdout(listener) {
      child.stdout?.on('data', listener);
    },
    onStderr(listener) {
      child.stderr?.on('data', listener);
    },
    onExit(listener) {
      // 'close' waits for stdout and stderr to end as well, so stderr up to the crash is complete,
      // unless a grandchild keeps them open: then 'exit' plus a short grace period decides.
      let reported = false;
      const report = (code: number | null, signal: string | null): void => {
        if (reported) return;
        reported = true;
        listener(code, signal);
      };
      child.on('close', (code, signal) => report(code, signal));
      child.on('exit', (code, signal) => {
        setTimeout(() => report(code, signal), 500).unref();
      });
      child.on('error', () => {
        if (child.pid === undefined) report(null, null);
      });
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
};
