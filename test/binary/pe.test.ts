/**
 * The PE reader against outside tools on DLLs built here: exports equal `llvm-readobj-14
 * --coff-exports` (ordinal, name, RVA), forwarders equal what mingw-w64 objdump -p prints, imports
 * and delay-load imports equal `llvm-readobj-14 --coff-imports`, sections equal `llvm-objdump-14 -h`.
 * PE32+ from x86_64-w64-mingw32-gcc with a .def file; PE32 (i686), delay-load and MSVC-ABI C++
 * (x86-64 and ARM64) from clang-14 + lld-link-14 (no i686 mingw compiler is installed); executables
 * from Go's own linker.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test, type TestContext } from 'node:test';
import { FormatError } from '../../src/binary/errors.js';
import { readPe } from '../../src/binary/pe.js';
import { BufferSource, FileSource } from '../../src/binary/source.js';
import type { BinaryFile } from '../../src/binary/types.js';
import { buildGoForeign, buildPe, run, type PeSet } from '../helpers/cross.js';
import { requireTool } from '../helpers/tools.js';

let built: PeSet | null = null;
function binaries(t: TestContext): PeSet | null {
  if (!requireTool(t, 'x86_64-w64-mingw32-gcc', 'gcc-mingw-w64-x86-64')) return null;
  if (!requireTool(t, 'clang-14', 'clang-14')) return null;
  if (!requireTool(t, 'lld-link-14', 'lld-14')) return null;
  if (!requireTool(t, 'llvm-readobj-14', 'llvm-14')) return null;
  if (!requireTool(t, 'llvm-dlltool-14', 'llvm-14', '--help')) return null;
  if (!requireTool(t, 'x86_64-w64-mingw32-objdump', 'binutils-mingw-w64-x86-64')) return null;
  built ??= buildPe();
  return built;
}

function readFile(file: string, opts = {}): BinaryFile {
  const src = FileSource.open(file);
  try {
    return readPe(src, file, opts);
  } finally {
    src.close();
  }
}

/** `ordinal name rva` per export, as llvm-readobj prints them, minus unused (RVA 0) slots. */
function readobjExports(file: string): string[] {
  const out = run('llvm-readobj-14', ['--coff-exports', file]);
  const rows: string[] = [];
  for (const block of out.split('Export {').slice(1)) {
    const ordinal = /Ordinal: (\d+)/.exec(block)![1]!;
    const name = /Name: (.*)/.exec(block)![1]!.trim();
    const rva = /RVA: 0x([0-9A-F]+)/.exec(block)![1]!;
    if (/^0+$/.test(rva)) continue;
    rows.push(`${ordinal} ${name || '#' + ordinal} 0x${rva.toLowerCase()}`);
  }
  return rows;
}

const myExports = (f: BinaryFile): string[] =>
  f.symbols.filter((s) => s.source === 'exports').map((s) => `${s.ordinal} ${s.name} ${s.address}`);

/** Ordinal -> forwarder from GNU objdump's export address table listing. */
function objdumpForwarders(file: string): Map<number, string> {
  const out = run('x86_64-w64-mingw32-objdump', ['-p', file]);
  const map = new Map<number, string>();
  for (const m of out.matchAll(/\+base\[\s*(\d+)\]\s+[0-9a-f]+\s+Forwarder RVA -- (\S+)/g)) {
    map.set(Number(m[1]), m[2]!);
  }
  return map;
}

function readobjImports(file: string): string[] {
  const out = run('llvm-readobj-14', ['--coff-imports', file]);
  const rows: string[] = [];
  let dll = '';
  for (const line of out.split('\n')) {
    const name = /^\s{2}Name: (.*)$/.exec(line);
    if (name) dll = name[1]!;
    const sym = /Symbol: (.*) \((\d+)\)$/.exec(line);
    if (sym) rows.push(`${dll} ${sym[1] || '#' + sym[2]}`);
  }
  return rows;
}

test('PE32+ exports equal llvm-readobj: names, ordinals, NONAME, DATA, RVAs; forwarders equal objdump', (t) => {
  const set = binaries(t);
  if (!set) return;
  const f = readFile(set.pe64);
  const expected = readobjExports(set.pe64);
  assert.ok(expected.length >= 10);
  assert.deepEqual(myExports(f), expected);

  const fwd = objdumpForwarders(set.pe64);
  assert.deepEqual([...fwd.values()].sort(), ['kernel32.Sleep', 'ntdll.RtlAllocateHeap']);
  for (const s of f.symbols) {
    assert.equal(s.forwarder, fwd.get(s.ordinal!) ?? null, s.name);
    assert.equal(s.defined, true);
    assert.equal(s.demangled, null);
  }
  const by = new Map(f.symbols.map((s) => [s.name, s]));
  assert.equal(by.get('Fwd')?.kind, 'other');
  assert.equal(by.get('FwdAlloc')?.ordinal, 30);
  for (const name of ['pe_add', 'by_def', 'ord_fn', '#12', '_ZN2ns6Widget1fEi', '_Z5twiceIiET_S0_']) {
    assert.equal(by.get(name)?.kind, 'func', name);
    assert.equal(by.get(name)?.section, '.text', name);
  }
  assert.equal(by.get('exported_data')?.kind, 'object');
  assert.equal(by.get('exported_table')?.kind, 'object');
  assert.equal(by.get('#12')?.ordinal, 12, 'NONAME export is named by its ordinal');
  assert.equal(by.get('by_def')?.ordinal, 5);
});

test('PE32 (i686) exports equal llvm-readobj and info says PE32 DLL, Intel 386', (t) => {
  const set = binaries(t);
  if (!set) return;
  const f = readFile(set.pe32, { imports: true });
  assert.deepEqual(myExports(f), readobjExports(set.pe32));
  assert.equal(f.info.description, 'PE32 DLL, Intel 386 (I386)');
  assert.deepEqual([f.info.bits, f.info.machine, f.info.arch], [32, 'I386', 'ia32']);
  assert.equal(f.info.soname, 'pe32.dll');
  assert.deepEqual(
    f.symbols.filter((s) => !s.defined).map((s) => `${s.library} ${s.name}`),
    readobjImports(set.pe32),
  );
  assert.ok(f.symbols.some((s) => s.name === 'Fwd' && s.forwarder !== null && /Sleep$/.test(s.forwarder!)));
});

test('MSVC-ABI C++ DLLs for x86-64 and ARM64: MSVC-mangled exports equal llvm-readobj', (t) => {
  const set = binaries(t);
  if (!set) return;
  for (const [file, desc] of [
    [set.msvc64, 'PE32+ DLL, x86-64 (AMD64)'],
    [set.msvcArm64, 'PE32+ DLL, ARM64 (ARM64)'],
  ] as const) {
    const f = readFile(file);
    assert.equal(f.info.description, desc);
    assert.deepEqual(myExports(f), readobjExports(file));
    const by = new Map(f.symbols.map((s) => [s.name, s]));
    assert.equal(by.get('?f@Widget@ns@@QEAAHH@Z')?.kind, 'func');
    assert.equal(by.get('?count@Widget@ns@@2HA')?.kind, 'object');
    assert.equal(by.get('exported_counter')?.kind, 'object');
    assert.equal(by.get('c_api')?.kind, 'func');
  }
  assert.equal(readFile(set.msvcArm64).info.arch, 'arm64');
});

test('imports grouped by DLL equal llvm-readobj --coff-imports, delay-load imports included', (t) => {
  const set = binaries(t);
  if (!set) return;
  for (const file of [set.pe64, set.delay64]) {
    const f = readFile(file, { imports: true });
    const imports = f.symbols.filter((s) => s.source === 'imports');
    assert.deepEqual(
      imports.map((s) => `${s.library} ${s.name}`),
      readobjImports(file),
      file,
    );
    for (const s of imports) {
      assert.equal(s.defined, false);
      assert.equal(s.kind, 'notype');
    }
    assert.equal(readFile(file).symbols.filter((s) => !s.defined).length, 0, 'imports only when asked');
  }
  const pe64 = readFile(set.pe64).info;
  assert.deepEqual(pe64.needed, ['KERNEL32.dll', 'msvcrt.dll']);
  assert.deepEqual(readFile(set.delay64).info.needed, ['kernel32.dll']);
});

test('file information and sections (names, virtual addresses, sizes) match llvm-objdump -h', (t) => {
  const set = binaries(t);
  if (!set || !requireTool(t, 'llvm-objdump-14', 'llvm-14')) return;
  const f = readFile(set.pe64);
  assert.equal(f.info.description, 'PE32+ DLL, x86-64 (AMD64)');
  assert.deepEqual(
    [f.info.format, f.info.bits, f.info.machine, f.info.arch, f.info.endian, f.info.fileType, f.info.os],
    ['pe', 64, 'AMD64', 'x64', 'little', 'dll', 'win32'],
  );
  assert.equal(f.info.soname, 'pluginpe.dll');
  assert.deepEqual(
    [f.info.osAbi, f.info.slices, f.info.go, f.info.rpath, f.info.runpath],
    [null, null, null, [], []],
  );
  assert.equal(f.info.hasDynamicSymbols, true);
  const heads = run('llvm-objdump-14', ['-h', set.pe64])
    .split('\n')
    .map((l) => /^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${m[1]} ${parseInt(m[3]!, 16)} ${parseInt(m[2]!, 16)}`);
  assert.ok(
    heads.some((h) => h.startsWith('.debug_info')),
    'long section names come from the string table',
  );
  assert.deepEqual(
    f.sections.map((s) => `${s.name} ${s.addr} ${s.size}`),
    heads,
  );
  const bytes = fs.readFileSync(set.pe64);
  const text = f.sections.find((s) => s.name === '.text')!;
  assert.ok(text.hasBytes && text.offset + text.size <= bytes.length);
});

test('bad input throws one-sentence FormatErrors with offsets', (t) => {
  const set = binaries(t);
  if (!set) return;
  const bytes = fs.readFileSync(set.pe64);
  const expectError = (data: Uint8Array, pattern: RegExp): void => {
    assert.throws(
      () => readPe(new BufferSource(data), 'x.dll', { imports: true }),
      (e: unknown) => e instanceof FormatError && pattern.test(e.message) && !e.message.includes('\n'),
    );
  };
  expectError(new Uint8Array(10), /truncated PE file: only 10 bytes/);
  expectError(Buffer.alloc(128), /no MZ signature/);
  const dos = Buffer.from(bytes.subarray(0, 0x200));
  dos.writeUInt32LE(0x100, 0x3c);
  expectError(dos, /MS-DOS executable without a PE signature/);
  expectError(bytes.subarray(0, 0x300), /truncated or corrupt/);
  const peOff = bytes.readUInt32LE(0x3c);
  const badExports = Buffer.from(bytes);
  const dirs = peOff + 24 + 112;
  const exportRva = badExports.readUInt32LE(dirs);
  const imageBase = Number(badExports.readBigUInt64LE(peOff + 24 + 24));
  const edata = readFile(set.pe64).sections.find((s) => s.name === '.edata')!;
  const edOff = edata.offset + exportRva - (edata.addr - imageBase);
  badExports.writeUInt32LE(0xfffff, edOff + 20);
  expectError(badExports, /more than ordinals allow/);
  badExports.writeUInt32LE(0x20000, edOff + 20);
  expectError(badExports, /more than ordinals allow/);
});

/** A minimal PE32+ DLL: headers and one data section at RVA 0x1000, file offset 0x200. */
function tinyPe(section: Uint8Array, dirs: Record<number, [rva: number, size: number]>): Buffer {
  const b = Buffer.alloc(0x200 + section.length);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(64, 0x3c);
  b.write('PE\0\0', 64, 'latin1');
  b.writeUInt16LE(0x8664, 68);
  b.writeUInt16LE(1, 70);
  b.writeUInt16LE(240, 84);
  b.writeUInt16LE(0x2022, 86);
  const opt = 88;
  b.writeUInt16LE(0x20b, opt);
  b.writeBigUInt64LE(0x180000000n, opt + 24);
  b.writeUInt32LE(0x1000, opt + 32);
  b.writeUInt32LE(0x200, opt + 36);
  b.writeUInt32LE(0x1000 + section.length, opt + 56);
  b.writeUInt32LE(0x200, opt + 60);
  b.writeUInt32LE(16, opt + 108);
  for (const [i, [rva, size]] of Object.entries(dirs)) {
    b.writeUInt32LE(rva, opt + 112 + Number(i) * 8);
    b.writeUInt32LE(size, opt + 116 + Number(i) * 8);
  }
  const sh = opt + 240;
  b.write('.data', sh, 'latin1');
  b.writeUInt32LE(section.length, sh + 8);
  b.writeUInt32LE(0x1000, sh + 12);
  b.writeUInt32LE(section.length, sh + 16);
  b.writeUInt32LE(0x200, sh + 20);
  b.writeUInt32LE(0xc0000040, sh + 36);
  b.set(section, 0x200);
  return b;
}

test('crafted tables that share bytes cannot multiply into unbounded output', () => {
  const check = (file: Buffer, pattern: RegExp): void => {
    const t0 = performance.now();
    assert.throws(
      () => readPe(new BufferSource(file), 'crafted.dll', { imports: true }),
      (e: unknown) => e instanceof FormatError && pattern.test(e.message),
    );
    assert.ok(performance.now() - t0 < 1000);
  };

  // 3000 import descriptors sharing one 500-entry lookup table: 1.5 million imports from 64 KiB.
  const imp = Buffer.alloc(0x10000);
  const ilt = 3001 * 20;
  for (let i = 0; i < 3000; i++) {
    imp.writeUInt32LE(0x1000 + ilt, i * 20);
    imp.writeUInt32LE(0x1000 + 0xff00, i * 20 + 12);
    imp.writeUInt32LE(0x1000 + ilt, i * 20 + 16);
  }
  for (let k = 0; k < 500; k++) imp.writeBigUInt64LE(BigInt(0x1000 + 0xff10), ilt + k * 8);
  imp.write('shared.dll\0', 0xff00, 'latin1');
  imp.write('\0\0name\0', 0xff10, 'latin1');
  check(tinyPe(imp, { 1: [0x1000, 3001 * 20] }), /more imports than the file could hold/);

  // 65536 export names at successive offsets of one 64 KiB string: gigabytes of names.
  const exp = Buffer.alloc(0x80000);
  exp.fill(0x61, 0x70000, 0x7ffff);
  exp.writeUInt32LE(1, 16);
  exp.writeUInt32LE(1, 20);
  exp.writeUInt32LE(0x10000, 24);
  exp.writeUInt32LE(0x1000 + 0x100, 28);
  exp.writeUInt32LE(0x1000 + 0x30000, 32);
  exp.writeUInt32LE(0x1000 + 0x1000, 36);
  exp.writeUInt32LE(0x1000 + 0x100, 0x100);
  for (let j = 0; j < 0x10000; j++) exp.writeUInt32LE(0x1000 + 0x70000 + j, 0x30000 + j * 4);
  check(tinyPe(exp, { 0: [0x1000, 40] }), /names add up to more bytes/);

  // The same builder makes a valid DLL when the tables are sane.
  const ok = Buffer.alloc(0x1000);
  ok.writeUInt32LE(1, 16);
  ok.writeUInt32LE(1, 20);
  ok.writeUInt32LE(1, 24);
  ok.writeUInt32LE(0x1100, 28);
  ok.writeUInt32LE(0x1200, 32);
  ok.writeUInt32LE(0x1300, 36);
  ok.writeUInt32LE(0x1400, 12);
  ok.writeUInt32LE(0x1500, 0x100);
  ok.writeUInt32LE(0x1600, 0x200);
  ok.write('tiny.dll\0', 0x400, 'latin1');
  ok.write('only_export\0', 0x600, 'latin1');
  const f = readPe(new BufferSource(tinyPe(ok, { 0: [0x1000, 40] })), 'tiny.dll', {});
  assert.deepEqual(
    f.symbols.map((s) => [s.name, s.ordinal, s.address, s.kind]),
    [['only_export', 1, '0x1500', 'object']],
  );
  assert.equal(f.info.soname, 'tiny.dll');

  // An optional header that ends inside a data directory entry (found by the fuzzer: a RangeError).
  for (const size of [2, 100, 111, 112, 119, 196, 220, 236]) {
    const cut = tinyPe(ok, { 0: [0x1000, 40], 13: [0x1000, 32] });
    cut.writeUInt16LE(size, 84);
    try {
      readPe(new BufferSource(cut), 'cut.dll', { imports: true });
    } catch (e) {
      assert.ok(e instanceof FormatError, `optional header of ${size} bytes: ${String(e)}`);
    }
  }
});

test('Go-linked PE executables (windows amd64 and 386): imports equal llvm-readobj', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version') || !requireTool(t, 'llvm-readobj-14', 'llvm-14')) return;
  const go = buildGoForeign();
  for (const [file, desc] of [
    [go.windowsAmd64, 'PE32+ executable, x86-64 (AMD64)'],
    [go.windows386, 'PE32 executable, Intel 386 (I386)'],
  ] as const) {
    const f = readFile(file, { imports: true });
    assert.equal(f.info.description, desc);
    const expected = readobjImports(file);
    assert.ok(expected.length > 20);
    assert.deepEqual(
      f.symbols.map((s) => `${s.library} ${s.name}`),
      expected,
    );
    assert.ok(f.sections.some((s) => s.name === '.symtab' || s.name === '.text'));
  }
});
