/**
 * ELF fuzzing: real ELF files mutated (bit flips, truncation, random lengths and offsets written
 * into header and table fields) and read with every option. The only acceptable failure is the
 * reader's FormatError; each case must finish well under a second, and memory must stay bounded.
 * Used by test/fuzz/elf.fuzz.ts (long campaign) and test/binary/elf-fuzz.test.ts (fast subset).
 */
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { readElf, readElfTables } from '../../src/binary/elf.js';
import { elfTable } from '../../src/cli/commands/symbols.js';
import { annotateSymbols, withContext } from '../../src/binary/open.js';
import { FormatError } from '../../src/binary/errors.js';
import { BufferSource } from '../../src/binary/source.js';
import { detectFormat, SNIFF_BYTES } from '../../src/binary/detect.js';
import { buildCrossLibrary, CROSS_TARGETS, BUILD_DIR } from './elf-readelf.js';
import { mulberry32 as seededRandom } from '../helpers/random.js';

/** Seed files: every class, byte order and type we can build or find here, all small. */
export function seedFiles(): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  const add = (p: string) => {
    try {
      out.push({ name: path.basename(p), bytes: fs.readFileSync(p) });
    } catch {
      // A seed that cannot be built or found on this machine is left out; others remain.
    }
  };
  for (const t of [...CROSS_TARGETS.map((c) => c.triple), 'x86_64-linux-gnu']) {
    try {
      add(buildCrossLibrary(t));
    } catch {
      // clang-14 missing: the system files below still give real seeds.
    }
  }
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const src = path.join(BUILD_DIR, 'fuzz-seed.c');
  fs.writeFileSync(
    src,
    'int seed_fn(int x) { return x + 1; }\nint seed_var = 3;\nint main(void) { return seed_fn(seed_var); }\n',
  );
  const obj = path.join(BUILD_DIR, 'fuzz-seed.o');
  if (spawnSync('gcc', ['-c', '-g', '-o', obj, src]).status === 0) add(obj);
  add('/usr/lib/x86_64-linux-gnu/libz.so.1');
  // No section headers: symbols come from the dynamic segment.
  for (const input of [
    '/usr/lib/x86_64-linux-gnu/libz.so.1',
    path.join(BUILD_DIR, 'libcross-i386-linux-gnu.so'),
  ]) {
    const stripped = path.join(BUILD_DIR, `fuzz-nosections-${path.basename(input)}`);
    if (spawnSync('llvm-objcopy-14', ['--strip-sections', input, stripped]).status === 0) add(stripped);
  }
  add('/usr/lib/x86_64-linux-gnu/libdl.so.2');
  return out;
}

type Rng = () => number;

const INTERESTING_32 = [
  0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
];

function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** An offset likely to land on a structure: the header, the section or program header table. */
/** The symbol, string, version and dynamic tables of a seed: where mutations reach the deepest code. */
export function tableRegions(bytes: Buffer): [number, number][] {
  const wanted = new Set([
    '.dynsym',
    '.dynstr',
    '.gnu.version',
    '.gnu.version_d',
    '.gnu.version_r',
    '.dynamic',
    '.symtab',
    '.strtab',
  ]);
  try {
    return readElf(new BufferSource(bytes), 'seed', { all: true })
      .sections.filter((x) => wanted.has(x.name) && x.hasBytes && x.size > 0)
      .map((x) => [x.offset, x.offset + x.size]);
  } catch {
    return [];
  }
}

function structuredOffset(rng: Rng, b: Buffer, regions: [number, number][]): number {
  const is64 = b[4] === 2;
  const little = b[5] !== 2;
  const r = rng();
  if (regions.length > 0 && r < 0.4) {
    const [start, end] = regions[randInt(rng, regions.length)]!;
    return Math.min(b.length - 1, start + randInt(rng, end - start));
  }
  if (r < 0.55 || b.length < 64) return randInt(rng, Math.min(b.length, 64));
  if (r < 0.8) {
    const shoff = is64
      ? Number(little ? b.readBigUInt64LE(40) : b.readBigUInt64BE(40))
      : little
        ? b.readUInt32LE(32)
        : b.readUInt32BE(32);
    if (shoff > 0 && shoff < b.length) return shoff + randInt(rng, Math.max(1, b.length - shoff));
  }
  return randInt(rng, b.length);
}

export function mutate(seed: Buffer, rng: Rng, regions: [number, number][] = []): Buffer {
  const kind = randInt(rng, 6);
  if (kind === 0) return Buffer.from(seed.subarray(0, randInt(rng, seed.length))); // truncation
  const b = Buffer.from(seed);
  const edits = 1 + randInt(rng, 8);
  for (let e = 0; e < edits; e++) {
    const at = structuredOffset(rng, b, regions);
    switch (kind) {
      case 1: // bit flips
        b[at] = b[at]! ^ (1 << randInt(rng, 8));
        break;
      case 2: // interesting 32-bit values in fields (lengths, offsets, counts, indices)
        if (at + 4 <= b.length) {
          const v = INTERESTING_32[randInt(rng, INTERESTING_32.length)]!;
          if (rng() < 0.5) b.writeUInt32LE(v, at);
          else b.writeUInt32BE(v, at);
        }
        break;
      case 3: // random lengths and offsets, as small or file-relative numbers
        if (at + 4 <= b.length) {
          const v = rng() < 0.5 ? randInt(rng, b.length * 2) : randInt(rng, 0x100000000);
          b.writeUInt32LE(v >>> 0, at);
        }
        break;
      case 4: // random bytes
        b[at] = randInt(rng, 256);
        break;
      default:
        {
          // copy one range over another (tables pointing into each other)
          const from = randInt(rng, b.length);
          const len = Math.min(1 + randInt(rng, 64), b.length - from, b.length - at);
          if (len > 0) b.copy(b, at, from, from + len);
        }
        break;
    }
  }
  return b;
}

export interface FuzzStats {
  cases: number;
  formatErrors: number;
  slowest: number;
  maxRss: number;
}

/**
 * Runs `cases` mutated inputs; throws on the first failure with the seed file, case number and
 * the mutated bytes written to build/ so it can be replayed.
 */
export function runElfFuzz(cases: number, seedNumber: number, timeLimitMs = 1000): FuzzStats {
  const seeds = seedFiles().map((x) => ({ ...x, regions: tableRegions(x.bytes) }));
  if (seeds.length === 0) throw new Error('no ELF seed files could be built or found');
  const rng = seededRandom(seedNumber);
  const stats: FuzzStats = { cases: 0, formatErrors: 0, slowest: 0, maxRss: 0 };
  for (let i = 0; i < cases; i++) {
    const seed = seeds[i % seeds.length]!;
    const input = mutate(seed.bytes, rng, seed.regions);
    let dt = timeCase(input, seed.name, i, seedNumber, stats);
    // On a loaded machine one case can stall for reasons of its own (scheduling, GC): a slow case
    // is timed twice more and fails only when it is slow every time.
    for (let retry = 0; retry < 2 && dt > timeLimitMs; retry++) {
      dt = Math.min(dt, timeCase(input, seed.name, i, seedNumber, null));
    }
    if (dt > stats.slowest) stats.slowest = dt;
    if (dt > timeLimitMs) fail(input, seed.name, i, seedNumber, `took ${dt.toFixed(0)} ms (timed 3 times)`);
    if (i % 1000 === 0) {
      const rss = process.memoryUsage().rss;
      stats.maxRss = Math.max(stats.maxRss, rss);
      if (rss > 1.5 * 1024 ** 3)
        fail(input, seed.name, i, seedNumber, `memory grew to ${(rss / 2 ** 20).toFixed(0)} MB`);
    }
    stats.cases++;
  }
  return stats;
}

/** Reads one input the way openBinary does; returns the time it took. Fails on any non-FormatError. */
function timeCase(
  input: Buffer,
  seedName: string,
  i: number,
  seedNumber: number,
  stats: FuzzStats | null,
): number {
  const t0 = performance.now();
  try {
    const src = new BufferSource(input);
    // Format detection sees the same bytes first, as openBinary does.
    const format = detectFormat(src.read(0, Math.min(SNIFF_BYTES, src.size)), src.size, (o, n) =>
      src.read(o, n),
    );
    if (format === 'elf') {
      withContext('elf', src, () => {
        const f = readElf(src, seedName, { imports: true, all: i % 2 === 0 });
        // Demangling and classification see the fuzzed names too (every 16th case: it is slower).
        if (i % 16 === 0) annotateSymbols(f, {});
        // The `symbols` table path reads the same tables its own way (raw names, native demangling).
        if (i % 8 === 4)
          elfTable(readElfTables(src, seedName, { imports: true, all: true }), { all: true, imports: true });
        return f;
      });
    }
  } catch (err) {
    if (err instanceof FormatError) {
      if (stats) stats.formatErrors++;
      if (err.message.includes('\n'))
        fail(input, seedName, i, seedNumber, `a FormatError message has a newline: ${err.message}`);
    } else {
      fail(input, seedName, i, seedNumber, err instanceof Error ? (err.stack ?? err.message) : String(err));
    }
  }
  return performance.now() - t0;
}

function fail(input: Buffer, seedName: string, i: number, seedNumber: number, why: string): never {
  const out = path.join(BUILD_DIR, `elf-fuzz-failure-${seedNumber}-${i}.bin`);
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  fs.writeFileSync(out, input);
  throw new Error(`ELF fuzz case ${i} (seed ${seedNumber}, from ${seedName}, input saved to ${out}): ${why}`);
}
