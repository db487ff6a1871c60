/**
 * Mutation fuzzing for the Mach-O and PE readers: real binaries are mutated (bit flips, truncation,
 * interesting values at random offsets and lengths, spliced and random chunks, plus format-specific
 * crafted cases) and every reading must either succeed or throw FormatError, within a second per
 * case and with bounded memory. Runs are deterministic for a given seed; a failing input is saved
 * under build/fuzz-failures/ with the seed and case number in its name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FormatError } from '../../src/binary/errors.js';
import { BufferSource } from '../../src/binary/source.js';

export type Range = [start: number, end: number];

export interface FuzzSeed {
  name: string;
  bytes: Uint8Array;
  /** Where the structures live (headers, tables): half of the mutations aim there. */
  hot: Range[];
  /** Optional crafted mutation for this format; returns null when it does not apply. */
  craft?: (rng: Rng, copy: Uint8Array) => Uint8Array | null;
}

export interface FuzzReport {
  cases: number;
  parsed: number;
  formatErrors: number;
  crafted: number;
  slowestMs: number;
  /** Cases slow on the first run only (the machine stalled), timed again. */
  stalls: number;
  peakHeapMB: number;
  failures: string[];
}

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function position(rng: Rng, seed: FuzzSeed, size: number): number {
  if (size === 0) return 0;
  if (seed.hot.length > 0 && rng.next() < 0.6) {
    const [a, b] = rng.pick(seed.hot);
    const lo = Math.min(a, size - 1);
    const hi = Math.min(Math.max(b, lo + 1), size);
    return lo + rng.int(hi - lo);
  }
  return rng.int(size);
}

function interesting(rng: Rng, size: number): number {
  return rng.pick([
    0,
    1,
    2,
    7,
    8,
    0x10,
    0x7f,
    0x80,
    0xff,
    0x100,
    0x7fff,
    0x8000,
    0xffff,
    0x10000,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    size,
    size - 1,
    size + 1,
    Math.floor(size / 2),
    rng.int(size + 1),
    rng.int(0x100000000),
  ]);
}

/** One to three stacked mutations of `orig`. */
export function mutate(rng: Rng, seed: FuzzSeed): { data: Uint8Array; crafted: boolean } {
  let data: Uint8Array = Uint8Array.from(seed.bytes);
  let crafted = false;
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const size = data.length;
    const op = rng.int(10);
    if (op === 0 && seed.craft) {
      const c = seed.craft(rng, data);
      if (c !== null) {
        data = c;
        crafted = true;
        continue;
      }
    }
    if (size === 0) break;
    switch (op) {
      case 0:
      case 1: {
        const flips = 1 + rng.int(8);
        for (let i = 0; i < flips; i++) data[position(rng, seed, size)]! ^= 1 << rng.int(8);
        break;
      }
      case 2: {
        const n = 1 + rng.int(4);
        for (let i = 0; i < n; i++) data[position(rng, seed, size)] = interesting(rng, size) & 0xff;
        break;
      }
      case 3:
      case 4: {
        const at = position(rng, seed, size) & ~3;
        const v = interesting(rng, size) >>> 0;
        const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
        const le = rng.next() < 0.85;
        if (at + 4 <= size) dv.setUint32(at, v, le);
        if (rng.next() < 0.3 && at + 8 <= size) dv.setUint32(at + 4, rng.next() < 0.5 ? 0 : 0xffffffff, le);
        break;
      }
      case 5: {
        // Truncation, often just past a structure.
        data = data.subarray(0, rng.next() < 0.5 ? position(rng, seed, size) : rng.int(size));
        break;
      }
      case 6: {
        const at = position(rng, seed, size);
        const len = Math.min(1 + rng.int(64), size - at);
        for (let i = 0; i < len; i++) data[at + i] = rng.int(256);
        break;
      }
      case 7: {
        const from = rng.int(size);
        const to = position(rng, seed, size);
        const len = Math.min(1 + rng.int(256), size - from, size - to);
        data.copyWithin(to, from, from + len);
        break;
      }
      case 8: {
        const extra = new Uint8Array(1 + rng.int(4096));
        for (let i = 0; i < extra.length; i += 1 + rng.int(16)) extra[i] = rng.int(256);
        const grown = new Uint8Array(size + extra.length);
        grown.set(data, 0);
        grown.set(extra, size);
        data = grown;
        break;
      }
      default: {
        const at = position(rng, seed, size);
        data[at] = rng.pick([0, 0xff, data[at]! + 1, data[at]! - 1]) & 0xff;
      }
    }
  }
  return { data, crafted };
}

export function runCampaign(
  seeds: FuzzSeed[],
  count: number,
  seedValue: number,
  read: (src: BufferSource, opts: { imports: boolean; all: boolean }) => unknown,
): FuzzReport {
  const rng = new Rng(seedValue);
  const report: FuzzReport = {
    cases: 0,
    parsed: 0,
    formatErrors: 0,
    crafted: 0,
    slowestMs: 0,
    stalls: 0,
    peakHeapMB: 0,
    failures: [],
  };
  const save = (i: number, data: Uint8Array, seed: FuzzSeed): string => {
    const dir = path.join(root, 'build', 'fuzz-failures');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${seed.name}-seed${seedValue}-case${i}.bin`);
    fs.writeFileSync(file, data);
    return file;
  };
  for (let i = 0; i < count; i++) {
    const seed = seeds[i % seeds.length]!;
    const { data, crafted } = mutate(rng, seed);
    if (crafted) report.crafted++;
    const opts = { imports: rng.next() < 0.7, all: rng.next() < 0.5 };
    const attempt = (): number => {
      const start = performance.now();
      try {
        read(new BufferSource(data), opts);
      } catch {
        // Its outcome was judged on the first run.
      }
      return performance.now() - start;
    };
    const t0 = performance.now();
    try {
      read(new BufferSource(data), opts);
      report.parsed++;
    } catch (e) {
      if (e instanceof FormatError) {
        report.formatErrors++;
        if (!e.message || (e.offset !== null && !(Number.isSafeInteger(e.offset) && e.offset >= 0))) {
          report.failures.push(`case ${i} (${seed.name}): FormatError with bad message/offset ${e.offset}`);
        }
      } else {
        const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
        report.failures.push(`case ${i} (${seed.name}): ${msg} -> ${save(i, data, seed)}`);
      }
    }
    let ms = performance.now() - t0;
    if (ms > 1000) {
      // Two cores shared by many processes stall now and then: a slow case is timed again, and
      // only a case that is slow twice is a failure.
      report.stalls++;
      ms = Math.min(ms, attempt());
    }
    report.slowestMs = Math.max(report.slowestMs, ms);
    if (ms > 1000) {
      report.failures.push(`case ${i} (${seed.name}) took ${ms.toFixed(0)} ms -> ${save(i, data, seed)}`);
    }
    report.cases++;
    if (i % 2000 === 0) {
      const heap = process.memoryUsage().heapUsed / 2 ** 20;
      report.peakHeapMB = Math.max(report.peakHeapMB, heap);
      if (heap > 1024) report.failures.push(`case ${i}: heap grew to ${heap.toFixed(0)} MB`);
    }
    if (report.failures.length >= 20) break;
  }
  return report;
}

interface TrieEdge {
  /** File offset of the child-offset ULEB128 and its length in bytes. */
  at: number;
  len: number;
  parent: number;
  ancestors: number[];
}

function uleb(b: Uint8Array, p: number): [value: number, next: number] {
  let v = 0;
  let scale = 1;
  for (;;) {
    const byte = b[p++]!;
    v += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [v, p];
    scale *= 128;
  }
}

/** Child-offset fields of a valid export trie at [off, off+size) of `b`. */
function trieEdges(b: Uint8Array, off: number, size: number): TrieEdge[] {
  const edges: TrieEdge[] = [];
  const walk = (node: number, ancestors: number[]): void => {
    if (ancestors.length > 64) return;
    const [term, start] = uleb(b, off + node);
    let p = start;
    p += term;
    const n = b[p++]!;
    for (let i = 0; i < n; i++) {
      while (b[p] !== 0) p++;
      p++;
      const [child, next] = uleb(b, p);
      edges.push({ at: p, len: next - p, parent: node, ancestors: [...ancestors, node] });
      p = next;
      if (child < size) walk(child, [...ancestors, node]);
    }
  };
  walk(0, []);
  return edges;
}

/** Writes `value` as a ULEB128 padded to exactly `len` bytes; false when it does not fit. */
function writePaddedUleb(b: Uint8Array, at: number, len: number, value: number): boolean {
  if (value >= 128 ** len) return false;
  for (let i = 0; i < len; i++) {
    b[at + i] = (value & 0x7f) | (i < len - 1 ? 0x80 : 0);
    value = Math.floor(value / 128);
  }
  return true;
}

/** Hot ranges of a thin Mach-O at `base`, and its export trie. */
function machoLayout(b: Uint8Array, base: number): { hot: Range[]; trie: Range | null } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const is64 = dv.getUint32(base, true) === 0xfeedfacf;
  const hdr = is64 ? 32 : 28;
  const ncmds = dv.getUint32(base + 16, true);
  const sizeofcmds = dv.getUint32(base + 20, true);
  const hot: Range[] = [[base, base + hdr + sizeofcmds]];
  let trie: Range | null = null;
  let p = base + hdr;
  for (let i = 0; i < ncmds; i++) {
    const cmd = dv.getUint32(p, true);
    const size = dv.getUint32(p + 4, true);
    if (cmd === 0x22 || cmd === 0x80000022)
      trie = [base + dv.getUint32(p + 40, true), dv.getUint32(p + 44, true)];
    if (cmd === 0x80000033) trie = [base + dv.getUint32(p + 8, true), dv.getUint32(p + 12, true)];
    if (cmd === 0x2) {
      const symoff = base + dv.getUint32(p + 8, true);
      const nsyms = dv.getUint32(p + 12, true);
      const stroff = base + dv.getUint32(p + 16, true);
      hot.push([symoff, symoff + Math.min(nsyms * (is64 ? 16 : 12), 4096)], [stroff, stroff + 256]);
    }
    p += size;
  }
  if (trie !== null) hot.push([trie[0], trie[0] + trie[1]]);
  return { hot, trie };
}

export function machoSeed(name: string, bytes: Uint8Array): FuzzSeed {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layouts: { hot: Range[]; trie: Range | null }[] = [];
  const hot: Range[] = [];
  if (dv.getUint32(0, false) === 0xcafebabe) {
    const n = dv.getUint32(4, false);
    hot.push([0, 8 + n * 20]);
    for (let i = 0; i < n; i++) layouts.push(machoLayout(bytes, dv.getUint32(8 + i * 20 + 8, false)));
  } else {
    layouts.push(machoLayout(bytes, 0));
  }
  const edges: TrieEdge[] = [];
  for (const l of layouts) {
    hot.push(...l.hot);
    if (l.trie !== null) edges.push(...trieEdges(bytes, l.trie[0], l.trie[1]));
  }
  // Crafted: point a trie child back at the root, its parent or another ancestor (a loop), or at
  // a sibling's node (a shared child), encoded in the same number of bytes.
  const craft = (rng: Rng, copy: Uint8Array): Uint8Array | null => {
    if (edges.length === 0 || copy.length !== bytes.length) return null;
    const e = rng.pick(edges);
    const target = rng.next() < 0.5 ? rng.pick(e.ancestors) : rng.next() < 0.5 ? 0 : e.parent;
    return writePaddedUleb(copy, e.at, e.len, target) ? copy : null;
  };
  return { name, bytes, hot, craft };
}

export function peSeed(name: string, bytes: Uint8Array): FuzzSeed {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pe = dv.getUint32(0x3c, true);
  const nsec = dv.getUint16(pe + 6, true);
  const optSize = dv.getUint16(pe + 20, true);
  const opt = pe + 24;
  const plus = dv.getUint16(opt, true) === 0x20b;
  const dirs = opt + (plus ? 112 : 96);
  const secAt = opt + optSize;
  const hot: Range[] = [[0, secAt + nsec * 40]];
  for (const d of [0, 1, 12, 13]) {
    const rva = dv.getUint32(dirs + d * 8, true);
    if (rva === 0) continue;
    for (let i = 0; i < nsec; i++) {
      const s = secAt + i * 40;
      const va = dv.getUint32(s + 12, true);
      const raw = dv.getUint32(s + 16, true);
      const ptr = dv.getUint32(s + 20, true);
      if (rva >= va && rva < va + raw)
        hot.push([ptr + (rva - va), Math.min(ptr + raw, ptr + (rva - va) + 4096)]);
    }
  }
  return { name, bytes, hot };
}
