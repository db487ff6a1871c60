/**
 * First module of a plugin host in an Electron utilityProcess. The host script speaks Node's IPC
 * (process.send, process.on('message')); a utility process has process.parentPort instead. This
 * shim joins the two, then runs the host script given as its first argument, unchanged, so the
 * runner's host works the same under child_process and utilityProcess.
 */
import { pathToFileURL } from 'node:url';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
const script = process.argv[2];
if (!port || !script) {
  process.stderr.write('plugin host: start me with utilityProcess.fork(entry, [hostScript, ...args])\n');
  process.exit(2);
}
process.send = ((message: unknown, ...rest: unknown[]) => {
  port.postMessage(message);
  // Node calls back once the message is written; the host waits for that before its next call.
  const done = rest.find((a) => typeof a === 'function') as ((err: Error | null) => void) | undefined;
  if (done) setImmediate(() => done(null));
  return true;
}) as typeof process.send;
const deliver = (data: unknown) => process.emit('message', data as never, undefined as never);
// Messages that arrive while the host module loads wait for its listener (Node's IPC would queue them too).
let early: unknown[] | null = [];
port.on('message', (event) => (early ? early.push(event.data) : deliver(event.data)));
// The host sees `node host.js ...args`, as under child_process.
process.argv.splice(1, 1);
await import(pathToFileURL(script).href);
const queued = early;
early = null;
for (const data of queued) deliver(data);
