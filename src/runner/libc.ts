/**
 * The few C library functions the plugin host needs: memcpy to copy handler output, fflush and
 * setvbuf so C stdio output reaches the pipes before a call's end marker (and before a crash),
 * FIONREAD to tell whether a call wrote anything at all, and poll to wait for a full pipe to drain.
 */
import fs from 'node:fs';
import koffi, { type LibraryHandle } from 'koffi';

export interface Libc {
  memcpy(dst: Buffer, src: bigint, n: number): void;
  /** fflush(NULL): every open C stream. */
  flushAll(): void;
  /** Bytes waiting unread in the pipe behind `fd`, or null when this platform cannot tell. */
  pendingBytes(fd: number): number | null;
  /** Waits until a write to `fd` (non-blocking) can make progress, at most `ms` milliseconds. */
  waitWritable(fd: number, ms: number): void;
}

const LIBC_NAMES: Record<string, string> = {
  linux: 'libc.so.6',
  darwin: 'libSystem.B.dylib',
  win32: 'ucrtbase.dll',
  freebsd: 'libc.so.7',
};

let instance: Libc | null = null;

export function libc(): Libc {
  if (instance) return instance;
  const lib = koffi.load(LIBC_NAMES[process.platform] ?? 'libc.so.6');
  const memcpy = lib.func('memcpy', 'void *', ['void *', 'void *', 'size_t']);
  const fflush = lib.func('fflush', 'int', ['void *']);
  let pendingBytes: Libc['pendingBytes'] = () => null;
  if (process.platform === 'linux') {
    // ioctl is variadic, but on x86-64 and AArch64 Linux a fixed three-argument prototype passes
    // the pointer in the same register, and koffi's variadic path costs several times more per call.
    const ioctl = lib.func('ioctl', 'int', ['int', 'unsigned long', 'void *']);
    const count = Buffer.alloc(4);
    const requests = new Map<number, number | null>();
    pendingBytes = (fd) => {
      let request = requests.get(fd);
      if (request === undefined) {
        request = queueRequest(fd);
        requests.set(fd, request);
      }
      if (request === null) return null;
      return ioctl(fd, request, count) === 0 ? count.readInt32LE(0) : null;
    };
    unbufferStdout(lib, 'stdout');
  } else if (process.platform === 'darwin') {
    // No cheap way to count unread bytes on a socket's far side here: markers on every call.
    unbufferStdout(lib, '__stdoutp');
  }
  instance = {
    memcpy: memcpy as Libc['memcpy'],
    flushAll: () => void fflush(null),
    pendingBytes,
    waitWritable: writableWaiter(lib),
  };
  return instance;
}

/** poll(2) for POLLOUT where there is one; else a 1 ms sleep. */
function writableWaiter(lib: LibraryHandle): Libc['waitWritable'] {
  const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(ms, 1));
  if (process.platform === 'win32') return (_fd, ms) => void sleep(ms);
  const poll = lib.func('poll', 'int', ['void *', 'unsigned long', 'int']);
  const pollfd = Buffer.alloc(8); // struct pollfd { int fd; short events; short revents; }
  const POLLOUT = 4;
  return (fd, ms) => {
    pollfd.writeInt32LE(fd, 0);
    pollfd.writeInt16LE(POLLOUT, 4);
    pollfd.writeInt16LE(0, 6);
    poll(pollfd, 1, ms);
  };
}

/**
 * The ioctl that counts bytes written to `fd` and not yet read by the other side: Node's
 * child_process hands out socket pairs (SIOCOUTQ on our end), Electron may hand out pipes
 * (FIONREAD works on either end of a pipe).
 */
function queueRequest(fd: number): number | null {
  try {
    const st = fs.fstatSync(fd);
    if (st.isSocket()) return 0x5411; // SIOCOUTQ
    if (st.isFIFO()) return 0x541b; // FIONREAD
  } catch {
    // fd not open: nothing to count.
  }
  return null;
}

/**
 * A pipe makes C stdout fully buffered, so printf output without a flush would die with the
 * process in a crash. Unbuffered, every printf reaches the supervisor as it happens.
 */
function unbufferStdout(lib: LibraryHandle, stdoutSymbol: string): void {
  try {
    const stdoutVar = lib.symbol(stdoutSymbol) as bigint;
    const file = koffi.decode(stdoutVar, 'void *') as bigint;
    const setvbuf = lib.func('setvbuf', 'int', ['void *', 'void *', 'int', 'size_t']);
    const _IONBF = 2;
    setvbuf(file, null, _IONBF, 0);
  } catch {
    // No such variable in this C library: fflush after each call still delivers the output of
    // calls that return.
  }
}
