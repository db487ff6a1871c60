/**
 * The HostSpawner of the app: a native plugin host runs in an Electron utilityProcess (a Node
 * process Chromium supervises, never the main process), so a plugin that crashes takes down only
 * its host. The Go bridge is a native executable, which utilityProcess cannot start: it runs as a
 * plain child process.
 *
 * A utility process has process.parentPort instead of Node's IPC channel: utility-host-entry.ts
 * bridges the two, so the runner's host script runs unchanged; the messages are the same
 * JSON-able objects of src/runner/protocol.ts.
 */
import { utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostLaunch, HostProcess, HostSpawner } from '../src/runner/types.js';
import { decodeExitStatus } from './exit-status.js';

/** Joins the host script's Node IPC to the utility process's parentPort (utility-host-entry.ts). */
const HOST_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'utility-host-entry.js');

/** A launch of Node running a script: `node [execArgv...] script.js [args...]`. */
function nodeScript(launch: HostLaunch): { execArgv: string[]; script: string; args: string[] } | null {
  if (launch.command !== process.execPath) return null;
  const i = launch.args.findIndex((a) => /\.(c|m)?js$/.test(a));
  if (i < 0) return null;
  return { execArgv: launch.args.slice(0, i), script: launch.args[i]!, args: launch.args.slice(i + 1) };
}

/** `fallback` starts what is not a Node script (the Go bridge): the runner's child_process spawner. */
export const createUtilityHostSpawner =
  (fallback: HostSpawner): HostSpawner =>
  (launch: HostLaunch): HostProcess => {
    const node = nodeScript(launch);
    if (!node) return fallback(launch);
    const child = utilityProcess.fork(HOST_ENTRY, [node.script, ...node.args], {
      execArgv: node.execArgv,
      stdio: 'pipe',
      serviceName: 'Plugin Studio host',
      // macOS: the user's own plugins are unsigned; the plugin helper may load them.
      allowLoadingUnsignedLibraries: true,
      ...(launch.cwd ? { cwd: launch.cwd } : {}),
      env: { ...(process.env as Record<string, string>), ...(launch.env ?? {}) },
    });
    return {
      get pid() {
        return child.pid;
      },
      send(message) {
        child.postMessage(message);
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
        child.once('exit', (status) => {
          const { code, signal } = decodeExitStatus(status);
          // Let the last stderr bytes (the crash report) arrive before the supervisor reads them.
          setTimeout(() => listener(code, signal), 50);
        });
      },
      kill() {
        child.kill();
      },
    };
  };
