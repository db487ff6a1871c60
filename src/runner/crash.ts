/**
 * Crash reports: what a plugin process left behind when it died (signal, exit code, stderr) turned
 * into a sentence and, when the runtime printed one, a parsed trace with the plugin's own frames
 * marked. Also parses the `stack` text of recovered panics.
 */
import type { CrashInfo, StackFrame } from './types.js';

const SIGNALS: Record<string, string> = {
  SIGSEGV: 'segmentation fault: the plugin read or wrote memory it does not own',
  SIGBUS: 'bus error: the plugin accessed memory at an invalid or misaligned address',
  SIGABRT: 'aborted: the plugin (or the C library on its behalf) called abort()',
  SIGFPE: 'arithmetic error: the plugin divided by zero or overflowed an integer division',
  SIGILL: 'illegal instruction: the plugin executed an invalid or privileged CPU instruction',
  SIGTRAP: 'trace trap: the plugin hit a breakpoint or a compiler-inserted trap (often __builtin_trap)',
  SIGKILL: 'killed: the process was killed from outside (or by the kernel when out of memory)',
  SIGTERM: 'terminated: the process was asked to stop',
  SIGPIPE: 'broken pipe: the plugin wrote to a pipe or socket nobody reads',
  SIGSYS: 'bad system call: the plugin made a system call that is not allowed',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'file size limit exceeded',
  SIGHUP: 'hang-up: the controlling terminal went away',
  SIGINT: 'interrupted',
  SIGQUIT: 'quit: the process was asked to stop and dump core',
  SIGUSR1: 'user signal 1 was not handled',
  SIGUSR2: 'user signal 2 was not handled',
  SIGALRM: 'an alarm timer expired and its signal was not handled',
};

/** "segmentation fault: the plugin read or wrote memory it does not own", or null for an unknown name. */
export function describeSignal(signal: string): string | null {
  return SIGNALS[signal] ?? null;
}

export interface ParsedTrace {
  trace: NonNullable<CrashInfo['trace']>;
  message: string;
  frames: StackFrame[];
}

/** Marks Go frames that belong to the plugin rather than the runtime, the standard library or the SDK. */
export function isPluginGoFrame(fn: string, file: string | null): boolean {
  if (
    file &&
    /\/(go|go-[\d.]+)\/src\/|\/usr\/lib\/go|GOROOT|\/pkg\/mod\/golang\.org\//.test(file) &&
    !fn.startsWith('main.')
  )
    return false;
  if (fn.startsWith('main.')) return !/^main\._cgo/.test(fn);
  const slash = fn.lastIndexOf('/');
  const pkgStart = fn.slice(0, slash + 1);
  const rest = fn.slice(slash + 1);
  const pkg = pkgStart + rest.slice(0, rest.indexOf('.') === -1 ? rest.length : rest.indexOf('.'));
  const first = pkg.split('/')[0] ?? '';
  if (!first.includes('.')) return false; // standard library and runtime: no domain in the first element
  if (/(^|\/)plugin-?studio(\/|$)|\/sdk\/go(\/|$)|pluginstudio/.test(pkg)) return false; // our SDK
  return !/^_cgo|\._cgo/.test(rest);
}

const GO_FILE_LINE = /^\s+(.+?):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=.*)?$/;

/** `pkg.(*T).Method(0x1, ...)` -> `pkg.(*T).Method`: drops the trailing argument list only. */
function goFunctionName(line: string): string {
  let s = line.replace(/ in goroutine \d+$/, '');
  if (s.endsWith(')')) {
    let depth = 0;
    for (let i = s.length - 1; i >= 0; i--) {
      if (s[i] === ')') depth++;
      else if (s[i] === '(' && --depth === 0) {
        // `(*T)` inside the name is preceded by a dot; the argument list is not.
        if (s[i - 1] !== '.') s = s.slice(0, i);
        break;
      }
    }
  }
  return s;
}

/** Frames of the first goroutine (or the only stack) in Go traceback text. */
export function parseGoFrames(text: string): StackFrame[] {
  const lines = text.split('\n');
  let i = lines.findIndex((l) => /^goroutine \d+ \[/.test(l));
  i = i === -1 ? 0 : i + 1;
  const frames: StackFrame[] = [];
  for (; i < lines.length; i++) {
    const l = (lines[i] ?? '').replace(/\r$/, '');
    if (l === '' && frames.length > 0) break; // end of this goroutine's block
    if (/^goroutine \d+ \[/.test(l)) break;
    if (/^\s/.test(l) || l === '') continue;
    const created = l.startsWith('created by ');
    const fn = goFunctionName(created ? l.slice('created by '.length) : l);
    if (fn === '' || fn.startsWith('[') || /\s/.test(fn)) continue;
    const next = GO_FILE_LINE.exec(lines[i + 1] ?? '');
    const file = next?.[1] ?? null;
    const line = next?.[2] ? Number(next[2]) : null;
    if (next) i++;
    frames.push({
      function: created ? `created by ${fn}` : fn,
      file,
      line,
      plugin: isPluginGoFrame(fn, file),
    });
    if (frames.length >= 200) break;
  }
  return frames;
}

function goTrace(stderr: string): ParsedTrace | null {
  const m = /^(panic|fatal error): (.*)$/m.exec(stderr);
  if (!m || m.index === undefined) return null;
  const rest = stderr.slice(m.index);
  // A panic message may run over several lines before the goroutine dump; `[recovered]` and the
  // signal line are part of it too.
  const head = rest.split(/\n\s*\ngoroutine \d+ \[|\ngoroutine \d+ \[/)[0] ?? m[0];
  const message = head
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/^(panic|fatal error): /, '');
  return {
    trace: m[1] === 'panic' ? 'go-panic' : 'go-fatal',
    message,
    frames: parseGoFrames(rest),
  };
}

function cppTerminate(stderr: string): ParsedTrace | null {
  const m =
    /terminate called (?:after throwing an instance of '([^']*)'|without an active exception|recursively)/.exec(
      stderr,
    );
  if (!m) return null;
  const what = /^\s*what\(\):\s*(.*)$/m.exec(stderr.slice(m.index));
  let message = m[1] ? `uncaught C++ exception ${m[1]}` : m[0];
  if (what?.[1]) message += `: ${what[1]}`;
  return { trace: 'cpp-terminate', message, frames: [] };
}

function rustPanic(stderr: string): ParsedTrace | null {
  // Rust >= 1.73: `thread 'x' panicked at src/lib.rs:12:5:\nmessage`; older: `panicked at 'message', src/lib.rs:12:5`.
  const modern = /thread '([^']*)' panicked at ([^\n]*?):(\d+):(\d+):\n([^\n]*)/.exec(stderr);
  if (modern) {
    const [, , file = '', line = '0', , msg = ''] = modern;
    return {
      trace: 'rust-panic',
      message: msg,
      frames: [
        {
          function: 'panic',
          file,
          line: Number(line),
          plugin: !file.includes('/rustc/') && !file.includes('.cargo/registry'),
        },
      ],
    };
  }
  const old = /thread '([^']*)' panicked at '([\s\S]*?)', ([^\n]*?):(\d+):(\d+)/.exec(stderr);
  if (old) {
    const [, , msg = '', file = '', line = '0'] = old;
    return {
      trace: 'rust-panic',
      message: msg,
      frames: [{ function: 'panic', file, line: Number(line), plugin: true }],
    };
  }
  return null;
}

function abortMessage(stderr: string): ParsedTrace | null {
  const patterns = [
    /^.*: Assertion `.*' failed\.$/m,
    /^(?:free|malloc|realloc|double free|corrupted)[^\n]*$/m,
    /^\*\*\* [^\n]* \*\*\*[^\n]*$/m,
  ];
  for (const p of patterns) {
    const m = p.exec(stderr);
    if (m) return { trace: 'abort', message: m[0].trim(), frames: [] };
  }
  return null;
}

/** The first runtime trace found in a dead process's stderr, if any. */
export function parseTrace(stderr: string, signal: string | null): ParsedTrace | null {
  return (
    goTrace(stderr) ??
    rustPanic(stderr) ??
    cppTerminate(stderr) ??
    (signal === 'SIGABRT' ? abortMessage(stderr) : null)
  );
}

/** CrashInfo for a plugin process that died during a call. */
export function crashReport(
  signal: string | null,
  exitCode: number | null,
  stderr: string,
  restarted: boolean,
): CrashInfo {
  const parsed = parseTrace(stderr, signal);
  const signalDescription = signal ? describeSignal(signal) : null;
  let message: string;
  if (parsed && (parsed.trace === 'go-panic' || parsed.trace === 'go-fatal')) {
    const what = parsed.trace === 'go-panic' ? 'a Go panic that nothing recovered' : 'a Go fatal error';
    message = `The plugin process died of ${what}: ${parsed.message}.`;
  } else if (parsed?.trace === 'rust-panic') {
    message = `The plugin process died after a Rust panic: ${parsed.message}.`;
  } else if (parsed?.trace === 'cpp-terminate') {
    message = `The plugin process was terminated by an ${parsed.message}.`;
  } else if (signal) {
    message = `The plugin process was killed by ${signal} (${signalDescription ?? 'an unexpected signal'}).`;
  } else if (exitCode !== null) {
    message = `The plugin process exited with code ${exitCode} during the call (the plugin called exit or os.Exit).`;
  } else {
    message = 'The plugin process stopped during the call.';
  }
  if (parsed?.trace === 'abort') message = `${message.replace(/\.$/, '')}: ${parsed.message}`;
  return {
    signal,
    signalDescription,
    exitCode,
    message: message.replace(/\.\.$/, '.'),
    trace: parsed?.trace ?? (signal === 'SIGABRT' ? 'abort' : null),
    traceMessage: parsed?.message ?? null,
    frames: parsed?.frames ?? [],
    stderr,
    restarted,
  };
}
