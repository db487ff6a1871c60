/**
 * The outside oracle for ELF symbols: GNU readelf's `--dyn-syms -W` / `--syms -W` output, parsed
 * into the fields we compare, and tiny shared libraries built at test time for other ELF classes,
 * byte orders and machines.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ReadelfSymbol {
  index: number;
  name: string;
  version: string | null;
  /** `@@` (false) or `@` (true) on a defined symbol; null for `@VER (n)` (a needed version) or none. */
  hidden: boolean | null;
  value: bigint;
  size: number;
  type: string;
  bind: string;
  vis: string;
  ndx: string;
}

// Type and binding are words, or `<OS specific>: 10` where readelf has no name for the value under
// the file's OS/ABI (GNU_UNIQUE and GNU_IFUNC in a SYSV file).
const WORD = '(<[^>]+>: \\d+|\\S+)';
const LINE = new RegExp(
  `^\\s*(\\d+):\\s+([0-9a-fA-F]+)\\s+(0x[0-9a-fA-F]+|\\d+)\\s+${WORD}\\s+${WORD}\\s+(\\S+)(?:\\s+\\[[^\\]]*\\])?\\s+(\\S+)\\s?(.*)$`,
);
const OS_SPECIFIC_TYPE: Record<string, string> = { '<OS specific>: 10': 'IFUNC' };
const OS_SPECIFIC_BIND: Record<string, string> = { '<OS specific>: 10': 'UNIQUE' };

/** Symbol tables by name (`.dynsym`, `.symtab`) from `readelf <flag> -W FILE`. */
export function readelfSymbols(
  file: string,
  flag = '--dyn-syms',
  ...more: string[]
): Map<string, ReadelfSymbol[]> {
  const r = spawnSync('readelf', [flag, ...more, '-W', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`readelf failed on ${file}: ${r.stderr}`);
  const tables = new Map<string, ReadelfSymbol[]>();
  let current: ReadelfSymbol[] | null = null;
  for (const line of r.stdout.split('\n')) {
    // `-D` (from the dynamic segment) titles its one table "Symbol table for image".
    const head = /^Symbol table (?:'([^']+)'|for image)/.exec(line);
    if (head) {
      current = [];
      tables.set(head[1] ?? 'image', current);
      continue;
    }
    const m = LINE.exec(line);
    if (!m || !current) continue;
    let name = m[8]!;
    let version: string | null = null;
    let hidden: boolean | null = null;
    const needed = / \(\d+\)$/.exec(name);
    if (needed) name = name.slice(0, needed.index);
    const at = name.indexOf('@');
    if (at > 0) {
      const dbl = name[at + 1] === '@';
      version = name.slice(at + (dbl ? 2 : 1));
      hidden = needed ? null : !dbl;
      name = name.slice(0, at);
    }
    const size = m[3]!;
    current.push({
      index: Number(m[1]),
      name,
      version,
      hidden,
      value: BigInt(`0x${m[2]}`),
      size: size.startsWith('0x') ? Number.parseInt(size, 16) : Number(size),
      type: OS_SPECIFIC_TYPE[m[4]!] ?? m[4]!,
      bind: OS_SPECIFIC_BIND[m[5]!] ?? m[5]!,
      vis: m[6]!,
      ndx: m[7]!,
    });
  }
  return tables;
}

/** readelf's type and binding words for our kind and binding values. */
export const READELF_TYPE: Record<string, string[]> = {
  func: ['FUNC'],
  object: ['OBJECT'],
  tls: ['TLS'],
  ifunc: ['IFUNC'],
  notype: ['NOTYPE'],
  common: ['COMMON'],
  other: ['SECTION', 'FILE'],
};
export const READELF_BIND: Record<string, string> = {
  global: 'GLOBAL',
  weak: 'WEAK',
  local: 'LOCAL',
  unique: 'UNIQUE',
};

export const BUILD_DIR = path.resolve(import.meta.dirname, '../../build/test-elf');

const SOURCE = `
int plugin_counter = 7;
__thread int per_thread = 1;
static int hidden_helper(int x) { return x * 3; }
int add_one(int x) { return hidden_helper(x) + 1; }
__attribute__((weak)) int weak_default(void) { return 2; }
__attribute__((visibility("protected"))) int protected_fn(void) { return 3; }
int old_api(void) { return 4; }
int new_api(void) { return 5; }
__asm__(".symver old_api, api@V1");
__asm__(".symver new_api, api@@V2");
char big_table[4096];
`;
const VERSION_SCRIPT =
  'V1 { global: api; add_one; plugin_counter; per_thread; weak_default; protected_fn; big_table; local: *; };\nV2 { global: api; } V1;\n';

export interface CrossTarget {
  triple: string;
  bits: 32 | 64;
  endian: 'little' | 'big';
  machine: string;
}

export const CROSS_TARGETS: CrossTarget[] = [
  // lld-14 has no s390x emulation; PowerPC covers big-endian in both classes.
  { triple: 'i386-linux-gnu', bits: 32, endian: 'little', machine: 'i386' },
  { triple: 'powerpc64-linux-gnu', bits: 64, endian: 'big', machine: 'PowerPC64' },
  { triple: 'powerpc-linux-gnu', bits: 32, endian: 'big', machine: 'PowerPC' },
  { triple: 'aarch64-linux-gnu', bits: 64, endian: 'little', machine: 'AArch64' },
  { triple: 'armv7-linux-gnueabihf', bits: 32, endian: 'little', machine: 'ARM' },
];

/** Builds a small versioned shared library for `triple` with clang-14 and lld; returns its path. */
export function buildCrossLibrary(triple: string): string {
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  // Test files run in parallel and build the same libraries: each writes its own temporary files
  // and renames the result into place, so no one reads a half-written library.
  const tag = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const src = path.join(BUILD_DIR, `cross-${tag}.c`);
  const map = path.join(BUILD_DIR, `cross-${tag}.map`);
  fs.writeFileSync(src, SOURCE);
  fs.writeFileSync(map, VERSION_SCRIPT);
  const out = path.join(BUILD_DIR, `libcross-${triple}.so`);
  const tmp = `${out}.${tag}.tmp`;
  try {
    const r = spawnSync(
      'clang-14',
      [
        `--target=${triple}`,
        '-nostdlib',
        '-shared',
        '-fPIC',
        '-fuse-ld=lld',
        '-O1',
        `-Wl,--version-script=${map}`,
        '-Wl,-soname,libcross.so.1',
        '-Wl,-rpath,/opt/cross/lib',
        '-o',
        tmp,
        src,
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`clang-14 --target=${triple} failed: ${r.stderr ?? r.error}`);
    fs.renameSync(tmp, out);
  } finally {
    fs.rmSync(src, { force: true });
    fs.rmSync(map, { force: true });
    fs.rmSync(tmp, { force: true });
  }
  return out;
}
