// Stands in for Electron's process.parentPort in a plain Node child (the Electron binary is not
// available here): messages travel as JSON lines on fd 3, delivered as { data } like Electron does.
// The socket is opened on first use from the main module: opened during --import, it receives
// nothing while the main module sits in a top-level await.
import net from 'node:net';

const listeners = [];
let socket = null;

function open() {
  if (socket) return socket;
  socket = new net.Socket({ fd: 3, readable: true, writable: true });
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    pending += chunk;
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      const data = JSON.parse(pending.slice(0, i));
      pending = pending.slice(i + 1);
      for (const l of listeners) l({ data, ports: [] });
    }
  });
  return socket;
}

process.parentPort = {
  postMessage(message) {
    open().write(`${JSON.stringify(message)}\n`);
  },
  on(event, listener) {
    open();
    if (event === 'message') listeners.push(listener);
  },
};
