#!/usr/bin/env node
// Benchmark: `plugin-studio symbols FILE` (demangled table, whole process: Node start-up included)
// against `nm -D -C --defined-only FILE`, on /usr/bin/node and on the largest shared library on this
// machine. Runs alternate (nm, ours, nm, ours...) so machine load hits both alike; medians of wall
// time, CPU time and peak RSS (GNU time) are printed with the ratios. Target: time ratio <= 0.7, memory
// below 2x nm's. A third command, `node -e 0` (Node starting and exiting, nothing else), runs in the
// same rotation: the floor under any Node program, printed as a ratio to nm too. Needs the compiled
// CLI: `npm run build:engine` first.
//
//   node test/bench/symbols.mjs [--runs N] [FILE...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BIN = path.join(ROOT, 'bin/plugin-studio.js');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 11;
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

if (!fs.existsSync(path.join(ROOT, 'dist/src/cli/main.js'))) {
  console.error('bench: run `npm run build:engine` first (dist/ is missing)');
  process.exit(2);
}

/** The largest shared library (by file size) under the usual library roots and toolchain homes. */
function largestSharedLibrary() {
  const roots = [
    '/usr/lib',
    '/usr/lib64',
    '/usr/local/lib',
    '/opt',
    path.join(process.env.HOME ?? '/root', '.rustup'),
  ];
  let best = null;
  const walk = (dir, depth) => {
    if (depth > 8) return;
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile() && /\.so(\.\d+)*$/.test(e.name)) {
        const size = fs.statSync(p).size;
        if (!best || size > best.size) best = { path: p, size };
      }
    }
  };
  for (const r of roots) walk(r, 0);
  return best?.path ?? null;
}

function measure(cmd, argv) {
  const devnull = fs.openSync('/dev/null', 'w');
  const full = TIME ? [TIME, ['-f', '%M %U %S', cmd, ...argv]] : [cmd, argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.closeSync(devnull);
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  const [kb, user, sys] = TIME ? r.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { ms, kb, cpu: (user + sys) * 1000 };
}

function count(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  return r.stdout.trimEnd().split('\n').length;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const files = args.length ? args : [fs.realpathSync('/usr/bin/node'), largestSharedLibrary()].filter(Boolean);
let allMet = true;
for (const file of files) {
  const nmArgs = ['-D', '-C', '--defined-only', file];
  const ourArgs = [BIN, 'symbols', file];
  const nmCount = count('nm', nmArgs);
  const ourCount = count(process.execPath, ourArgs) - 1; // minus the header line
  const nm = [];
  const ours = [];
  const bare = [];
  measure('nm', nmArgs); // warm the page cache for both
  measure(process.execPath, ourArgs);
  for (let i = 0; i < RUNS; i++) {
    nm.push(measure('nm', nmArgs));
    ours.push(measure(process.execPath, ourArgs));
    bare.push(measure(process.execPath, ['-e', '0']));
  }
  const nmMs = median(nm.map((x) => x.ms));
  const ourMs = median(ours.map((x) => x.ms));
  const nmKb = median(nm.map((x) => x.kb));
  const ourKb = median(ours.map((x) => x.kb));
  const nmCpu = median(nm.map((x) => x.cpu));
  const ourCpu = median(ours.map((x) => x.cpu));
  const bareMs = median(bare.map((x) => x.ms));
  const ratio = ourMs / nmMs;
  const memRatio = ourKb / nmKb;
  const met = ratio <= 0.7 && memRatio < 2 && nmCount === ourCount;
  allMet &&= met;
  console.log(`\n${file} (${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MB)`);
  console.log(
    `  symbols:  plugin-studio ${ourCount}, nm ${nmCount}${nmCount === ourCount ? ' (same)' : ' (DIFFERENT)'}`,
  );
  console.log(
    `  time:     plugin-studio ${ourMs.toFixed(1)} ms, nm ${nmMs.toFixed(1)} ms, ratio ${ratio.toFixed(2)} (target <= 0.70)`,
  );
  console.log(
    `  floor:    node -e 0 ${bareMs.toFixed(1)} ms, ratio ${(bareMs / nmMs).toFixed(2)} to nm (Node's own start and exit)`,
  );
  if (TIME) {
    // CPU time (user + system) is less disturbed than wall time when the machine is busy.
    console.log(
      `  cpu time: plugin-studio ${ourCpu.toFixed(0)} ms, nm ${nmCpu.toFixed(0)} ms, ratio ${(ourCpu / nmCpu).toFixed(2)}`,
    );
    console.log(
      `  peak RSS: plugin-studio ${(ourKb / 1024).toFixed(1)} MB, nm ${(nmKb / 1024).toFixed(1)} MB, ratio ${memRatio.toFixed(2)} (target < 2.00)`,
    );
  }
  console.log(`  runs:     ${RUNS} each, medians; target ${met ? 'met' : 'NOT met'}`);
}
process.exitCode = allMet ? 0 : 1;
