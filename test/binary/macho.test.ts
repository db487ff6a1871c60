/**
 * The Mach-O reader against LLVM's tools on dylibs built here with clang-14 + ld64.lld-14:
 * defined externals equal `llvm-nm-14 --extern-only --defined-only` (per slice for the universal
 * file), trie entries equal `llvm-objdump-14 --macho --exports-trie`, imports and their libraries
 * equal `llvm-nm-14 -m --undefined-only`, dependencies equal `llvm-objdump-14 --macho --dylibs-used`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { FormatError } from '../../src/binary/errors.js';
import { readMachO } from '../../src/binary/macho.js';
import { BufferSource, FileSource } from '../../src/binary/source.js';
import type { BinaryFile, SymbolRecord } from '../../src/binary/types.js';
import { buildGoForeign, buildMachO, run, type MachOSet } from '../helpers/cross.js';
import { requireTool } from '../helpers/tools.js';

let built: MachOSet | null = null;
function binaries(t: TestContext): MachOSet | null {
  if (!requireTool(t, 'clang-14', 'clang-14')) return null;
  if (!requireTool(t, 'ld64.lld-14', 'lld-14')) return null;
  if (!requireTool(t, 'llvm-nm-14', 'llvm-14')) return null;
  if (!requireTool(t, 'llvm-lipo-14', 'llvm-14')) return null;
  built ??= buildMachO();
  return built;
}

function readFile(file: string, opts = {}): BinaryFile {
  const src = FileSource.open(file);
  try {
    return readMachO(src, file, opts);
  } finally {
    src.close();
  }
}

/** llvm-nm's letter for a Mach-O symbol, from its section name (how llvm-nm decides it). */
function nmLetter(s: SymbolRecord): string {
  if (s.kind === 'notype' && s.defined) return 'A';
  if (s.forwarder && s.source === 'nlist') return 'I';
  switch (s.section) {
    case '__TEXT,__text':
      return 'T';
    case '__DATA,__data':
      return 'D';
    case '__DATA,__bss':
      return 'B';
    default:
      return 'S';
  }
}

const mine = (f: BinaryFile): string[] =>
  f.symbols
    .filter((s) => s.defined)
    .map((s) => `${BigInt(s.address).toString(16)} ${nmLetter(s)} _${s.name}`)
    .sort();

function llvmNm(file: string, arch?: string): string[] {
  const out = run('llvm-nm-14', ['--extern-only', '--defined-only', ...(arch ? ['--arch', arch] : []), file]);
  return out
    .split('\n')
    .filter((l) => /^[0-9a-f]+ [A-Za-z] /.test(l))
    .map((l) => {
      const [addr, letter, ...name] = l.split(' ');
      return `${BigInt('0x' + addr).toString(16)} ${letter} ${name.join(' ')}`;
    })
    .sort();
}

test('defined externals equal llvm-nm for x86_64, arm64, arm64_32 and the rewritten-trie dylib', (t) => {
  const set = binaries(t);
  if (!set) return;
  for (const file of [set.x86_64, set.arm64, set.arm64_32, set.exportsTrie, set.dep, set.user]) {
    const f = readFile(file);
    const expected = llvmNm(file);
    assert.ok(expected.length > 0, `llvm-nm lists symbols of ${file}`);
    assert.deepEqual(mine(f), expected, path.basename(file));
  }
});

test('C and C++ exports keep their (mangled) names, kinds, weak bindings and sections', (t) => {
  const set = binaries(t);
  if (!set) return;
  const f = readFile(set.x86_64);
  const by = new Map(f.symbols.map((s) => [s.name, s]));
  for (const name of [
    'add',
    'use',
    'plugin_studio_abi_version',
    'c_api',
    '_ZN2ns6Widget1fEi',
    '_Z5twiceIiET_S0_',
  ]) {
    assert.equal(by.get(name)?.kind, 'func', name);
  }
  assert.equal(by.get('counter')?.kind, 'object');
  assert.equal(by.get('counter')?.section, '__DATA,__data');
  assert.equal(by.get('table')?.section, '__TEXT,__const');
  assert.equal(by.get('per_thread')?.kind, 'tls');
  assert.equal(by.get('_ZN2ns6Widget5countE')?.kind, 'object');
  assert.equal(by.get('weakfn')?.binding, 'weak');
  assert.equal(by.get('_Z5twiceIdET_S0_')?.binding, 'weak', 'template instantiations are weak definitions');
  assert.equal(by.get('add')?.binding, 'global');
  assert.equal(by.has('hid'), false, 'hidden symbols are not exported');
  assert.equal(by.has('hidden_local'), false, 'static functions only with --all');
  for (const s of f.symbols) {
    assert.equal(s.source, 'trie');
    assert.equal(s.demangled, null);
    assert.equal(s.language, 'unknown');
    assert.equal(s.size, 0);
  }
  const all = readFile(set.x86_64, { all: true });
  const local = all.symbols.find((s) => s.name === 'hidden_local' || s.name === 'hid');
  assert.equal(local?.binding, 'local');
  assert.equal(local?.source, 'nlist');
});

test('export trie entries equal llvm-objdump --exports-trie (also when read from LC_DYLD_EXPORTS_TRIE)', (t) => {
  const set = binaries(t);
  if (!set || !requireTool(t, 'llvm-objdump-14', 'llvm-14')) return;
  const objdump = (file: string): string[] =>
    run('llvm-objdump-14', ['--macho', '--exports-trie', file])
      .split('\n')
      .filter((l) => l.startsWith('0x'))
      .map((l) => {
        const m = /^0x([0-9A-F]+)\s+(\S+)(.*)$/.exec(l)!;
        return `${BigInt('0x' + m[1]).toString(16)} ${m[2]}${m[3]!.includes('weak_def') ? ' weak' : ''}`;
      })
      .sort();
  const trieOf = (f: BinaryFile): string[] =>
    f.symbols
      .filter((s) => s.source === 'trie')
      .map((s) => `${BigInt(s.address).toString(16)} _${s.name}${s.binding === 'weak' ? ' weak' : ''}`)
      .sort();
  for (const file of [set.x86_64, set.arm64, set.user]) {
    assert.deepEqual(trieOf(readFile(file)), objdump(file), path.basename(file));
  }
  // llvm-objdump-14 cannot read LC_DYLD_EXPORTS_TRIE; the bytes are the arm64 dylib's trie.
  assert.deepEqual(trieOf(readFile(set.exportsTrie)), objdump(set.arm64));
});

test('universal file: every slice listed, the host slice selected, each slice equal to llvm-nm --arch', (t) => {
  const set = binaries(t);
  if (!set || !requireTool(t, 'llvm-lipo-14', 'llvm-14')) return;
  const f = readFile(set.fat);
  const archs = run('llvm-lipo-14', ['-archs', set.fat]).trim().split(/\s+/);
  assert.deepEqual(
    f.info.slices?.map((s) => s.arch),
    archs,
  );
  const selected = f.info.slices!.filter((s) => s.selected);
  assert.equal(selected.length, 1);
  const hostArch = process.arch === 'arm64' ? 'arm64' : 'x86_64';
  assert.equal(selected[0]!.arch, hostArch);
  assert.equal(f.info.machine, hostArch);
  assert.match(
    f.info.description,
    /^Mach-O universal binary \(x86_64, arm64\), \S+ slice: Mach-O 64-bit \S+ dynamic library$/,
  );
  assert.deepEqual(mine(f), llvmNm(set.fat, hostArch));
  const bytes = fs.readFileSync(set.fat);
  for (const slice of f.info.slices!) {
    const one = readMachO(
      new BufferSource(bytes.subarray(slice.offset, slice.offset + slice.size)),
      'slice',
      {},
    );
    assert.equal(one.info.machine, slice.arch);
    assert.deepEqual(mine(one), llvmNm(set.fat, slice.arch), slice.arch);
  }
  for (const s of f.sections.filter((x) => x.hasBytes)) {
    assert.ok(s.offset >= selected[0]!.offset, `section ${s.name} offset is absolute in the universal file`);
  }
});

test('file information: description, architecture, install name, dependencies, rpaths, sections', (t) => {
  const set = binaries(t);
  if (!set || !requireTool(t, 'llvm-objdump-14', 'llvm-14')) return;
  const x = readFile(set.x86_64).info;
  assert.equal(x.description, 'Mach-O 64-bit x86_64 dynamic library');
  assert.deepEqual(
    [x.format, x.bits, x.machine, x.arch, x.endian, x.fileType, x.os],
    ['macho', 64, 'x86_64', 'x64', 'little', 'dylib', 'darwin'],
  );
  assert.equal(x.soname, '/usr/local/lib/libt-x86_64.dylib');
  assert.equal(x.hasDynamicSymbols, true);
  assert.equal(x.slices, null);
  assert.deepEqual(x.loadable, { ok: true, reason: null });
  assert.equal(x.go, null);

  const a32 = readFile(set.arm64_32).info;
  assert.equal(a32.description, 'Mach-O 32-bit arm64_32 dynamic library');
  assert.equal(a32.bits, 32);

  const user = readFile(set.user).info;
  const used = run('llvm-objdump-14', ['--macho', '--dylibs-used', set.user])
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(' (')[0]!)
    .filter(Boolean);
  assert.deepEqual(user.needed, used);
  assert.deepEqual(user.rpath, ['@loader_path/../lib', '/opt/plugins']);
  assert.deepEqual(readFile(set.exportsTrie).info.rpath, ['@loader_path/trie']);

  // Sections: names, addresses and sizes as llvm-objdump -h prints them.
  const f = readFile(set.arm64);
  const heads = run('llvm-objdump-14', ['-h', set.arm64])
    .split('\n')
    .map((l) => /^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${m[1]} ${parseInt(m[2]!, 16)} ${parseInt(m[3]!, 16)}`);
  assert.deepEqual(
    f.sections.map((s) => `${s.name.split(',')[1]} ${s.size} ${s.addr}`),
    heads,
  );
  const text = f.sections.find((s) => s.name === '__TEXT,__text')!;
  assert.ok(text.hasBytes && text.offset > 0);
});

test('imports come from undefined nlist entries with their two-level library, as llvm-nm -m shows', (t) => {
  const set = binaries(t);
  if (!set) return;
  const f = readFile(set.user, { imports: true });
  const imports = f.symbols
    .filter((s) => !s.defined)
    .map((s) => {
      const lib = s.library ? `from ${path.basename(s.library, '.dylib')}` : 'dynamically looked up';
      return `${s.binding === 'weak' ? 'weak ' : ''}external ${s.name === 'dyld_stub_binder' ? '' : '_'}${s.name} (${lib})`;
    })
    .sort();
  const nm = run('llvm-nm-14', ['-m', '--undefined-only', set.user])
    .split('\n')
    .filter((l) => l.includes('(undefined)'))
    .map((l) => l.replace(/^\s*\(undefined\) /, ''))
    .sort();
  assert.deepEqual(imports, nm);
  for (const s of f.symbols.filter((x) => !x.defined)) {
    assert.equal(s.source, 'nlist');
    assert.equal(s.address, '0x0');
  }
  assert.equal(readFile(set.user).symbols.filter((s) => !s.defined).length, 0, 'imports only when asked');
});

test('bad input: truncated, empty, Java class and corrupt headers throw FormatError with an offset', (t) => {
  const set = binaries(t);
  if (!set) return;
  const bytes = fs.readFileSync(set.x86_64);
  const expectError = (data: Uint8Array, pattern: RegExp): FormatError => {
    try {
      readMachO(new BufferSource(data), 'x.dylib', {});
    } catch (e) {
      assert.ok(e instanceof FormatError, `FormatError, got ${String(e)}`);
      assert.match(e.message, pattern);
      assert.doesNotMatch(e.message, /\n/);
      return e;
    }
    assert.fail(`no error for ${pattern}`);
  };
  expectError(new Uint8Array(0), /truncated Mach-O file: only 0 bytes/);
  expectError(bytes.subarray(0, 64), /load commands/);
  const e = expectError(bytes.subarray(0, 2000), /truncated or corrupt/);
  assert.ok(e.offset !== null && e.offset >= 0);
  const java = Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0, 0, 0]);
  expectError(java, /Java class/);
  const bad = Buffer.from(bytes);
  bad.writeUInt32LE(0xffffff, 20);
  expectError(bad, /load commands|truncated/);
  const badSlice = Buffer.from(fs.readFileSync(set.fat));
  badSlice.writeUInt32BE(0x7fffffff, 8 + 8);
  expectError(badSlice, /universal file: the x86_64 slice/);
});

test('a symbol table whose entries overlap one long string cannot multiply into unbounded names', (t) => {
  const set = binaries(t);
  if (!set) return;
  const orig = fs.readFileSync(set.x86_64);
  const strs = Buffer.alloc(200_001, 0x61);
  strs[strs.length - 1] = 0;
  const nsyms = 20_000;
  const syms = Buffer.alloc(nsyms * 16);
  for (let i = 0; i < nsyms; i++) {
    syms.writeUInt32LE(i, i * 16);
    syms[i * 16 + 4] = 0x0f;
    syms[i * 16 + 5] = 1;
  }
  const b = Buffer.concat([orig, strs, syms]);
  let p = 32;
  for (let i = 0; i < b.readUInt32LE(16); i++) {
    if (b.readUInt32LE(p) === 2) {
      b.writeUInt32LE(orig.length + strs.length, p + 8);
      b.writeUInt32LE(nsyms, p + 12);
      b.writeUInt32LE(orig.length, p + 16);
      b.writeUInt32LE(strs.length, p + 20);
    }
    p += b.readUInt32LE(p + 4);
  }
  const t0 = performance.now();
  assert.throws(
    () => readMachO(new BufferSource(b), 'crafted.dylib', {}),
    (e: unknown) => e instanceof FormatError && /names add up to more bytes/.test(e.message),
  );
  assert.ok(performance.now() - t0 < 1000);
});

test('Go-linked Mach-O executables (darwin arm64 and amd64): every symbol equals llvm-nm', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version') || !requireTool(t, 'llvm-nm-14', 'llvm-14')) return;
  const go = buildGoForeign();
  for (const file of [go.darwinArm64, go.darwinAmd64]) {
    const f = readFile(file, { all: true, imports: true });
    assert.equal(f.info.fileType, 'executable');
    assert.deepEqual(f.info.needed, ['/usr/lib/libSystem.B.dylib']);
    const all = f.symbols
      .map((s) => {
        if (!s.defined) return `U _${s.name}`;
        const letter = nmLetter(s);
        return `${BigInt(s.address).toString(16)} ${s.binding === 'local' ? letter.toLowerCase() : letter} _${s.name}`;
      })
      .sort();
    const nm = run('llvm-nm-14', [file])
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const m = /^\s*([0-9a-f]*) ([A-Za-z]) (.*)$/.exec(l)!;
        return m[2] === 'U' ? `U ${m[3]}` : `${BigInt('0x' + m[1]).toString(16)} ${m[2]} ${m[3]}`;
      })
      .sort();
    assert.ok(nm.length > 1000, 'a Go program has over a thousand symbols');
    assert.deepEqual(all, nm, file);
    assert.ok(f.sections.some((s) => s.name === '__DATA,__go_buildinfo' && s.hasBytes));
  }
});
