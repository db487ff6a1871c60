// Benchmarks of issue 4 (the Go bridge), each against a baseline measured in the same run:
//
// 1. Cold build: the bridge built by the engine's own path (ensureBridge, empty bridge cache)
//    against `go build` of a hello-world program. GOCACHE state, the same for both: the standard
//    library already compiled (as after any earlier Go build on the machine, done by a warm-up
//    round), the main package always compiled afresh (each round builds a copy of the sources with
//    a unique constant added, so the build cache cannot answer it). Target: ratio <= 1.5.
// 2. Warm start: cached bridge, openPlugin + first call answered, in ms, against the same for the
//    native (koffi) host opening the Go c-shared example.
// 3. Per call: engine -> host -> engine round trip for an equivalent handler (adds one header):
//    the Go plugin's AddHeader in the bridge against the c-shared Go example's AddHeader in the
//    native host; and the in-host bench loop of both.
//
//   node --import tsx test/bench/gobridge.ts [--rounds R] [--calls N]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBridge, bridgeSourceDir, goToolchain } from '../../src/runner/gobridge-build.js';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput, PluginSession } from '../../src/runner/types.js';
import { buildPlugin } from '../helpers/plugins.js';
import { buildGoTykPlugin } from '../plugins/go-tyk/build.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, calls: { type: 'string', default: '5000' } },
});
const ROUNDS = Number(values.rounds);
const CALLS = Number(values.calls);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gobridge-bench-'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number, d = 1): string => x.toFixed(d);

function uniqueCopy(src: string, dest: string, round: number): void {
  fs.cpSync(src, dest, { recursive: true });
  fs.writeFileSync(
    path.join(dest, 'bench_unique.go'),
    `package main\n\nconst benchUnique = "${process.pid}-${round}-${Date.now()}"\n\nvar _ = benchUnique\n`,
  );
}

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world") }\n';
// A second baseline that links what the bridge must link (net/http, plugin, so cgo and the
// external linker): the floor for any program that can host a Tyk plugin.
const HELLO_HTTP =
  'package main\n\nimport (\n\t"net/http"\n\t"plugin"\n)\n\nfunc main() {\n\t_, _ = plugin.Open("x.so")\n\t_ = http.ListenAndServe(":0", nil)\n}\n';

async function coldBuild(): Promise<void> {
  const tc = await goToolchain();
  const helloSrc = path.join(work, 'hello-src');
  fs.mkdirSync(helloSrc, { recursive: true });
  fs.writeFileSync(path.join(helloSrc, 'go.mod'), 'module example.com/hello\n\ngo 1.18\n');
  fs.writeFileSync(path.join(helloSrc, 'main.go'), HELLO);
  const httpSrc = path.join(work, 'http-src');
  fs.mkdirSync(httpSrc, { recursive: true });
  fs.writeFileSync(path.join(httpSrc, 'go.mod'), 'module example.com/hellohttp\n\ngo 1.18\n');
  fs.writeFileSync(path.join(httpSrc, 'main.go'), HELLO_HTTP);
  const httpMs: number[] = [];
  const shipped = bridgeSourceDir();
  const bridgeMs: number[] = [];
  const helloMs: number[] = [];
  // Round 0 warms GOCACHE with the standard library for both programs and is not counted.
  for (let r = 0; r <= ROUNDS; r++) {
    const h = path.join(work, `hello-${r}`);
    uniqueCopy(helloSrc, h, r);
    let t = performance.now();
    execFileSync(tc.go, ['build', '-o', path.join(h, 'hello'), '.'], {
      cwd: h,
      env: { ...process.env, GOFLAGS: '', GOWORK: 'off' },
    });
    const hello = performance.now() - t;
    const hh = path.join(work, `http-${r}`);
    uniqueCopy(httpSrc, hh, r);
    t = performance.now();
    execFileSync(tc.go, ['build', '-o', path.join(hh, 'hello'), '.'], {
      cwd: hh,
      env: { ...process.env, GOFLAGS: '', GOWORK: 'off' },
    });
    const http = performance.now() - t;

    const b = path.join(work, `bridge-src-${r}`);
    uniqueCopy(shipped, b, r);
    process.env.PLUGIN_STUDIO_GO_BRIDGE_SRC = b;
    process.env.PLUGIN_STUDIO_CACHE = path.join(work, `cache-${r}`);
    t = performance.now();
    const built = await ensureBridge(tc, { race: false, trimpath: false, tags: [] });
    const bridge = performance.now() - t;
    if (built.cached) throw new Error('the bridge cache was not empty');
    if (r === 0) {
      console.log(
        `  warm-up (GOCACHE filled): hello ${fmt(hello / 1000, 2)} s, bridge ${fmt(bridge / 1000, 2)} s`,
      );
      continue;
    }
    helloMs.push(hello);
    httpMs.push(http);
    bridgeMs.push(bridge);
    console.log(
      `  round ${r}: hello-world ${fmt(hello / 1000, 2)} s, net/http+plugin hello ${fmt(http / 1000, 2)} s, bridge cold build ${fmt(bridge / 1000, 2)} s`,
    );
  }
  delete process.env.PLUGIN_STUDIO_GO_BRIDGE_SRC;
  const ratio = median(bridgeMs) / median(helloMs);
  console.log(
    `cold build (median of ${ROUNDS}): hello-world ${fmt(median(helloMs) / 1000, 2)} s, Go bridge ${fmt(median(bridgeMs) / 1000, 2)} s: ratio ${fmt(ratio, 2)} (target <= 1.5) ${ratio <= 1.5 ? 'OK' : 'OVER TARGET'}`,
  );
  console.log(
    `  against the net/http+plugin hello (same packages and linker as the bridge): ${fmt(median(httpMs) / 1000, 2)} s: ratio ${fmt(median(bridgeMs) / median(httpMs), 2)}`,
  );
}

const input: CallInput = {
  symbol: 'AddHeader',
  phase: 'request',
  request: {
    method: 'GET',
    url: 'http://api.example.com/orders?id=7',
    proto: 'HTTP/1.1',
    headers: [['X-Trace', 'a']],
    body: '',
  },
};

async function warmStart(lib: string): Promise<number> {
  const t = performance.now();
  const s = await openPlugin(lib);
  const r = await s.call(input);
  const ms = performance.now() - t;
  if (r.outcome !== 'continue') throw new Error(`${lib}: ${r.outcome} ${String(r.error)}`);
  await s.close();
  return ms;
}

async function perCall(s: PluginSession): Promise<number> {
  for (let i = 0; i < 200; i++) await s.call(input);
  const t = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const r = await s.call(input);
    if (r.outcome !== 'continue') throw new Error(`call ${i}: ${r.outcome} ${String(r.error)}`);
  }
  return ((performance.now() - t) * 1000) / CALLS;
}

async function calls(goPlugin: string, native: string): Promise<void> {
  process.env.PLUGIN_STUDIO_CACHE = path.join(work, 'cache-calls');
  await warmStart(goPlugin); // builds the bridge once; the rounds below use the cache
  const goStart: number[] = [];
  const nativeStart: number[] = [];
  for (let r = 0; r < ROUNDS + 2; r++) {
    goStart.push(await warmStart(goPlugin));
    nativeStart.push(await warmStart(native));
  }
  console.log(
    `warm start (cached bridge, plugin opened, first call answered; median of ${ROUNDS + 2}): Go bridge ${fmt(median(goStart))} ms, native host (Go c-shared example) ${fmt(median(nativeStart))} ms: ratio ${fmt(median(goStart) / median(nativeStart), 2)}`,
  );

  const goS = await openPlugin(goPlugin);
  const nativeS = await openPlugin(native);
  const goUs: number[] = [];
  const nativeUs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    goUs.push(await perCall(goS));
    nativeUs.push(await perCall(nativeS));
    console.log(
      `  round ${r + 1}: Go bridge ${fmt(goUs.at(-1)!)} µs/call, native host ${fmt(nativeUs.at(-1)!)} µs/call`,
    );
  }
  const g = Math.min(...goUs);
  const n = Math.min(...nativeUs);
  console.log(
    `per-call round trip (${CALLS} sequential calls, best of ${ROUNDS}): Go bridge ${fmt(g)} µs, native host ${fmt(n)} µs: ratio ${fmt(g / n, 2)}`,
  );
  const gb = await goS.bench(input, 50_000);
  const nb = await nativeS.bench(input, 50_000);
  console.log(
    `in-host bench loop (50,000 calls): Go bridge ${fmt(gb.callsPerSecond, 0)} calls/s (p50 ${fmt(gb.p50Us, 2)} µs), native host ${fmt(nb.callsPerSecond, 0)} calls/s (p50 ${fmt(nb.p50Us, 2)} µs): ratio ${fmt(gb.callsPerSecond / nb.callsPerSecond, 2)}`,
  );
  await goS.close();
  await nativeS.close();
}

try {
  const tc = await goToolchain();
  console.log(`Go bridge benchmarks with ${tc.version} ${tc.goos}/${tc.goarch}`);
  await coldBuild();
  await calls(buildGoTykPlugin('plain'), await buildPlugin('example-go'));
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
