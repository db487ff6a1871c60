/** Shared by the fast fuzz subset (go.test.ts) and the long campaign (go.fuzz.ts). */
import fs from 'node:fs';
import { openBinary, readGoBuildInfo, BufferSource, FormatError } from '../../src/binary/index.js';
import type { BinaryFile } from '../../src/binary/types.js';

import { xorshift32 as rng } from '../helpers/random.js';

/**
 * Mutates the Go-specific regions of real files (build info blob, DWARF head, symbol table kept)
 * and checks readGoBuildInfo returns or throws FormatError, never anything else, quickly.
 */
/** maxMs: the most CPU time one case took. */
export function fuzzGoInfo(paths: string[], cases: number, seed = 1): { maxMs: number } {
  const rand = rng(seed);
  let maxMs = 0;
  for (const p of paths) {
    // One copy per file, mutated in place and restored after each case: no garbage per case.
    const bytes = Buffer.from(fs.readFileSync(p));
    const file = readElfOrOpen(p);
    const targets = file.sections.filter(
      (s) => s.hasBytes && /buildinfo|debug_info|data\.rel\.ro|gopclntab|\.data$/.test(s.name),
    );
    const saved: [number, number][] = [];
    for (let i = 0; i < cases; i++) {
      const sec = targets[Math.floor(rand() * targets.length)];
      if (!sec) break;
      const span = Math.min(sec.size, 4096);
      const flips = 1 + Math.floor(rand() * 16);
      for (let k = 0; k < flips; k++) {
        const at = sec.offset + Math.floor(rand() * span);
        saved.push([at, bytes[at]!]);
        bytes[at] = rand() < 0.5 ? bytes[at]! ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
      }
      const cut = rand() < 0.2 ? Math.floor(rand() * bytes.length) : bytes.length;
      const src = new BufferSource(bytes.subarray(0, cut));
      // CPU time, not wall time: on a shared machine a case may wait for a core longer than it runs.
      const started = process.cpuUsage();
      try {
        readGoBuildInfo(src, file);
      } catch (err) {
        if (!(err instanceof FormatError)) {
          throw new Error(`${p} seed ${seed} case ${i}: ${err instanceof Error ? err.stack : String(err)}`, {
            cause: err,
          });
        }
      }
      const used = process.cpuUsage(started);
      const ms = (used.user + used.system) / 1000;
      maxMs = Math.max(maxMs, ms);
      if (ms > 1000) throw new Error(`${p} seed ${seed} case ${i}: ${ms.toFixed(0)} ms of CPU`);
      for (let k = saved.length - 1; k >= 0; k--) bytes[saved[k]![0]] = saved[k]![1];
      saved.length = 0;
    }
  }
  return { maxMs };
}

function readElfOrOpen(p: string): BinaryFile {
  return openBinary(p, { all: true });
}
