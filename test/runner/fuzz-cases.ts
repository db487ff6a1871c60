// Shared by the fast fuzz subset (outputs-fuzz.test.ts) and the long campaign (outputs.fuzz.ts):
// every parser of what a plugin or its runtime produces gets mutated inputs and must return a
// result (never throw), quickly, with a well-formed answer.
import assert from 'node:assert/strict';
import { StreamCapture } from '../../src/runner/capture.js';
import { crashReport, parseGoFrames, parseTrace } from '../../src/runner/crash.js';
import { firstInvalidUtf8 } from '../../src/runner/host-call.js';
import { explainLoadError } from '../../src/runner/load-diagnostics.js';
import { parseManifest } from '../../src/runner/manifest.js';
import { classify, parseResult, resultShapeError } from '../../src/runner/outcome.js';
import { endMarker } from '../../src/runner/protocol.js';

import { xorshift32 as rng } from '../helpers/random.js';

const RESULT_SEEDS = [
  '{}',
  '{"request":{"method":"GET","url":"http://x/a?b=1","proto":"HTTP/1.1","remote_addr":"1.2.3.4:5","headers":[["A","b"],["A","c"]],"body":"eyJ9","body_encoding":"base64"}}',
  '{"response":{"status":403,"headers":[["Content-Type","text/plain"]],"body":"denied"},"logs":[{"level":"info","message":"checked"}]}',
  '{"panic":{"message":"assignment to entry in nil map","stack":"goroutine 1 [running]:\\nmain.f()\\n\\t/x.go:1 +0x1\\n"}}',
];

const TRACE_SEEDS = [
  'panic: boom [recovered]\n\tpanic: boom\n\ngoroutine 17 [running, locked to thread]:\nexample.com/p.(*T).M(0xc0, {0x1, 0x2})\n\t/src/p.go:42 +0x1d\ncreated by main.x in goroutine 1\n\t/src/m.go:3 +0x2\n',
  'fatal error: concurrent map writes\n\ngoroutine 5 [running]:\nruntime.throw({0x1, 0x2})\n\t/usr/lib/go/src/runtime/panic.go:1 +0x1\n',
  "terminate called after throwing an instance of 'std::runtime_error'\n  what():  token\n",
  "thread '<unnamed>' panicked at src/lib.rs:12:5:\nmissing header\n",
  "thread 'main' panicked at 'oops', src/lib.rs:3:9\n",
  "prog: x.c:3: f: Assertion `n == 0' failed.\n",
];

const DLERROR_SEEDS = [
  'Failed to load shared library: libfoo.so: cannot open shared object file: No such file or directory',
  "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.99' not found (required by /p/libx.so)",
  '/p/libx.so: undefined symbol: cJSON_Parse',
  '/p/libx.so: wrong ELF class: ELFCLASS32',
  'plugin.Open("x"): plugin was built with a different version of package net/http',
];

/** Any existing file: the diagnostics look at it only to tell that it exists. */
const SOME_PATH = process.execPath;

function mutate(seed: string, r: () => number): string {
  const b = Buffer.from(seed);
  const n = 1 + Math.floor(r() * 6);
  let out = b;
  for (let i = 0; i < n; i++) {
    const pos = Math.floor(r() * (out.length + 1));
    const op = Math.floor(r() * 6);
    const byte = Math.floor(r() * 256);
    const tokens = [
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      'null',
      '1e999',
      '-0',
      '\\u0000',
      '"status":',
      '\n',
      '(',
      ')',
      'goroutine 1 [',
      '\t',
    ];
    const tok = Buffer.from(tokens[Math.floor(r() * tokens.length)] ?? '');
    if (op === 0) out = Buffer.concat([out.subarray(0, pos), Buffer.from([byte]), out.subarray(pos)]);
    else if (op === 1) out = Buffer.concat([out.subarray(0, pos), out.subarray(pos + 1)]);
    else if (op === 2) out = out.subarray(0, pos);
    else if (op === 3) out = Buffer.concat([out.subarray(0, pos), tok, out.subarray(pos)]);
    else if (op === 4 && out.length) out[Math.min(pos, out.length - 1)] = byte;
    else out = Buffer.concat([out.subarray(0, pos), out.subarray(pos, pos + 40), out.subarray(pos)]);
  }
  return out.toString('latin1');
}

function timed<T>(what: string, input: string, fn: () => T): T {
  const t0 = performance.now();
  const v = fn();
  const ms = performance.now() - t0;
  assert.ok(ms < 250, `${what} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 200))}`);
  return v;
}

/** Runs `iterations` mutated inputs through every parser. */
export function fuzzOutputs(iterations: number, seed: number): void {
  const r = rng(seed);
  // The first glibc message reads the machine's glibc version once (slowly); not a per-input cost.
  explainLoadError(SOME_PATH, DLERROR_SEEDS[1] ?? '', null);
  for (let i = 0; i < iterations; i++) {
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
    const text = mutate(pick(RESULT_SEEDS), r);
    const parsed = timed('parseResult', text, () => parseResult(text));
    if (parsed.ok) {
      assert.equal(resultShapeError(parsed.envelope), null);
      for (const phase of ['request', 'response'] as const) classify(phase, parsed.envelope, { status: 200 });
    } else assert.ok(parsed.error.length > 0 && parsed.error.length < 2000);

    const bytes = Buffer.from(text, 'latin1');
    const bad = firstInvalidUtf8(bytes);
    let valid = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      valid = false;
    }
    assert.equal(bad === -1, valid);

    const stderr = mutate(pick(TRACE_SEEDS), r);
    timed('parseTrace', stderr, () => {
      const t = parseTrace(stderr, pick(['SIGABRT', 'SIGSEGV', null]));
      if (t) for (const f of t.frames) assert.equal(typeof f.function, 'string');
      parseGoFrames(stderr);
      const c = crashReport(pick(['SIGSEGV', null]), pick([2, null]), stderr, true);
      assert.ok(c.message.length > 0);
    });

    const manifest = mutate('{"abi":1,"name":"n","handlers":[{"symbol":"A","phase":"request"}]}', r);
    timed('parseManifest', manifest, () => {
      const m = parseManifest(manifest);
      assert.ok(m.manifest === null || m.error === null);
    });

    const detail = mutate(pick(DLERROR_SEEDS), r);
    timed('explainLoadError', detail, () => assert.ok(explainLoadError(SOME_PATH, detail, null).length > 0));

    // Output attribution over random chunking: the text before the marker comes back intact.
    const cap = new StreamCapture(4096);
    const id = Math.floor(r() * 1000);
    cap.expect(endMarker(id));
    const before = mutate('some plugin output \u001e with separators\n', r).replace(/\u001e/g, '');
    const stream = Buffer.concat([
      Buffer.from(before, 'latin1'),
      Buffer.from(endMarker(id)),
      Buffer.from('rest'),
    ]);
    for (let at = 0; at < stream.length;) {
      const n = 1 + Math.floor(r() * 16);
      cap.push(stream.subarray(at, at + n));
      at += n;
    }
    assert.ok(cap.markerSeen);
    assert.equal(cap.takeToMarker(), Buffer.from(before, 'latin1').toString('utf8'));
  }
}
