// Crash reports: signal names in words, and the runtime traces found in stderr (Go, C++, Rust,
// glibc aborts). Go traces are also checked on real plugins in crash-matrix.test.ts; C++ here on a
// real clang++-built plugin; Rust on the two formats rustc prints (before and since Rust 1.73).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { crashReport, describeSignal, parseGoFrames, parseTrace } from '../../src/runner/crash.js';
import { openPlugin } from '../../src/runner/index.js';
import { requireTool } from '../helpers/tools.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

test('signals are explained in words', () => {
  assert.equal(
    describeSignal('SIGSEGV'),
    'segmentation fault: the plugin read or wrote memory it does not own',
  );
  for (const s of ['SIGBUS', 'SIGABRT', 'SIGFPE', 'SIGILL', 'SIGKILL', 'SIGTRAP'])
    assert.ok(describeSignal(s), s);
  assert.equal(describeSignal('SIGNOPE'), null);
  const r = crashReport('SIGFPE', null, '', true);
  assert.equal(
    r.message,
    'The plugin process was killed by SIGFPE (arithmetic error: the plugin divided by zero or overflowed an integer division).',
  );
});

const GO_PANIC = `panic: runtime error: index out of range [5] with length 3 [recovered]
	panic: runtime error: index out of range [5] with length 3

goroutine 17 [running, locked to thread]:
example.com/acme/auth.(*Checker).Verify(0xc000010000, {0xc00001a0c0, 0x3})
	/home/dev/auth/checker.go:42 +0x1d
net/http.HandlerFunc.ServeHTTP(0x0?, {0x7f1, 0xc0000a0000}, 0xc000130000)
	/usr/lib/go-1.19/src/net/http/server.go:2109 +0x2f
main.AuthCheck(...)
	/home/dev/auth/main.go:17
runtime.goexit()
	/usr/lib/go-1.19/src/runtime/asm_amd64.s:1594 +0x1

goroutine 1 [chan receive]:
main.other()
	/home/dev/auth/main.go:99 +0x1
`;

test('a Go panic: message, frames of the running goroutine, plugin frames marked', () => {
  const t = parseTrace(GO_PANIC, 'SIGABRT');
  assert.equal(t?.trace, 'go-panic');
  assert.match(t?.message ?? '', /^runtime error: index out of range \[5\] with length 3 \[recovered\]/);
  assert.deepEqual(
    t?.frames.map((f) => [f.function, f.line, f.plugin]),
    [
      ['example.com/acme/auth.(*Checker).Verify', 42, true],
      ['net/http.HandlerFunc.ServeHTTP', 2109, false],
      ['main.AuthCheck', 17, true],
      ['runtime.goexit', 1594, false],
    ],
  );
  const r = crashReport('SIGABRT', null, GO_PANIC, true);
  assert.match(
    r.message,
    /^The plugin process died of a Go panic that nothing recovered: runtime error: index out of range/,
  );
});

test('a Go fatal error and frames of a recovered stack', () => {
  const t = parseTrace(
    'fatal error: concurrent map writes\n\ngoroutine 9 [running]:\nmain.fill(0x1)\n\t/src/p.go:10 +0x5\ncreated by main.Start in goroutine 1\n\t/src/p.go:5 +0x9\n',
    null,
  );
  assert.equal(t?.trace, 'go-fatal');
  assert.equal(t?.message, 'concurrent map writes');
  assert.deepEqual(
    t?.frames.map((f) => f.function),
    ['main.fill', 'created by main.Start'],
  );
  const frames = parseGoFrames(
    'goroutine 1 [running]:\nruntime/debug.Stack()\n\t/usr/lib/go/src/runtime/debug/stack.go:24 +0x65\nmain.h(...)\n\t/p/h.go:3\n',
  );
  assert.deepEqual(
    frames.map((f) => f.plugin),
    [false, true],
  );
});

test('Rust panics in both formats', () => {
  const modern = parseTrace(
    "thread '<unnamed>' panicked at src/lib.rs:12:5:\nmissing header X-Token\nnote: run with `RUST_BACKTRACE=1`\n",
    'SIGABRT',
  );
  assert.equal(modern?.trace, 'rust-panic');
  assert.equal(modern?.message, 'missing header X-Token');
  assert.deepEqual(modern?.frames[0], { function: 'panic', file: 'src/lib.rs', line: 12, plugin: true });
  const old = parseTrace(
    "thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/lib.rs:30:9\n",
    null,
  );
  assert.equal(old?.message, 'called `Option::unwrap()` on a `None` value');
  assert.equal(old?.frames[0]?.line, 30);
  assert.match(
    crashReport('SIGABRT', null, "thread 'x' panicked at src/a.rs:1:1:\nboom\n", true).message,
    /after a Rust panic: boom\./,
  );
});

test('C++ terminate and a failed assertion, from a real clang++ plugin', async (t) => {
  if (!requireTool(t, 'clang++-14', 'clang-14')) return;
  const out = path.join(ROOT, 'build', 'test-runner', 'libterminate.so');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  execFileSync('clang++-14', [
    '-shared',
    '-fPIC',
    '-O1',
    '-o',
    out,
    path.join(ROOT, 'test/runner/plugins/terminate.cpp'),
  ]);
  const session = await openPlugin(out);
  try {
    const req = { method: 'GET', url: 'http://x/', headers: [] as [string, string][], body: '' };
    const thrown = await session.call({ symbol: 'Throws', phase: 'request', request: req });
    assert.equal(thrown.outcome, 'crash');
    assert.equal(thrown.crash?.trace, 'cpp-terminate');
    assert.equal(
      thrown.crash?.traceMessage,
      'uncaught C++ exception std::runtime_error: token store unavailable',
    );
    assert.match(
      thrown.error ?? '',
      /terminated by an uncaught C\+\+ exception std::runtime_error: token store unavailable/,
    );
    const assertion = await session.call({ symbol: 'AssertFails', phase: 'request', request: req });
    assert.equal(assertion.crash?.trace, 'abort');
    assert.match(
      assertion.crash?.message ?? '',
      /SIGABRT.*Assertion `n == 0 && "the envelope must be empty"' failed/,
    );
    assert.equal((await session.call({ symbol: 'Ok', phase: 'request', request: req })).outcome, 'continue');
  } finally {
    await session.close();
  }
});
