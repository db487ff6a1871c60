/**
 * The ELF reader against GNU readelf on real files: /usr/bin/node, at least 50 shared libraries of
 * this machine picked at random (seed printed; replay with ELF_ORACLE_SEED=n), and small libraries
 * built here for 32-bit and big-endian targets.
 */
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readElf } from '../../src/binary/elf.js';
import { FileSource } from '../../src/binary/source.js';
import type { SymbolRecord } from '../../src/binary/types.js';
import { requireTool } from '../helpers/tools.js';
import {
  buildCrossLibrary,
  BUILD_DIR,
  CROSS_TARGETS,
  READELF_BIND,
  READELF_TYPE,
  readelfSymbols,
  type ReadelfSymbol,
} from './elf-readelf.js';
import { mulberry32 as seededRandom } from '../helpers/random.js';

const LIB_DIR = '/usr/lib/x86_64-linux-gnu';
/** At least 50; ELF_ORACLE_PICK=100000 checks every library of the machine. */
const PICK = Math.max(55, Number(process.env.ELF_ORACLE_PICK ?? 55));

function read(file: string, opts: { imports?: boolean; all?: boolean }) {
  const src = FileSource.open(file);
  try {
    return readElf(src, file, opts);
  } finally {
    src.close();
  }
}

/** Compares our records with readelf's, in table order; `what` names the file in failures. */
function compare(what: string, ours: SymbolRecord[], theirs: ReadelfSymbol[]): void {
  assert.equal(ours.length, theirs.length, `${what}: symbol count`);
  for (let k = 0; k < ours.length; k++) {
    const a = ours[k]!;
    const b = theirs[k]!;
    const where = `${what}: symbol #${b.index} ${b.name}`;
    assert.equal(a.name, b.name, `${where}: name`);
    assert.equal(a.version, b.version, `${where}: version`);
    if (b.hidden !== null && a.defined) assert.equal(a.versionHidden, b.hidden, `${where}: @ or @@`);
    assert.equal(BigInt(a.address), a.defined || b.value !== 0n ? b.value : 0n, `${where}: address`);
    assert.equal(a.size, b.size, `${where}: size`);
    assert.ok(READELF_TYPE[a.kind]!.includes(b.type), `${where}: type ${a.kind} vs ${b.type}`);
    assert.equal(READELF_BIND[a.binding], b.bind, `${where}: binding`);
    assert.equal(a.visibility.toUpperCase(), b.vis, `${where}: visibility`);
    assert.equal(a.defined, b.ndx !== 'UND', `${where}: defined`);
  }
}

/** Defined exports: what `symbols` lists by default. */
function definedExports(t: ReadelfSymbol[]): ReadelfSymbol[] {
  return t.filter((s) => s.index > 0 && s.ndx !== 'UND' && s.bind !== 'LOCAL');
}

function checkDynamic(file: string): number {
  const theirs = readelfSymbols(file).get('.dynsym') ?? [];
  const exportsOnly = read(file, {}).symbols;
  compare(file, exportsOnly, definedExports(theirs));
  const withImports = read(file, { imports: true }).symbols;
  compare(
    `${file} (--imports)`,
    withImports,
    theirs.filter((s) => s.index > 0 && s.bind !== 'LOCAL'),
  );
  return exportsOnly.length;
}

function systemLibraries(): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of fs.readdirSync(LIB_DIR).sort()) {
    if (!/\.so(\.\d+)*$/.test(name)) continue;
    const full = path.join(LIB_DIR, name);
    let real: string;
    try {
      real = fs.realpathSync(full);
      if (!fs.statSync(real).isFile()) continue;
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    const head = Buffer.alloc(4);
    const fd = fs.openSync(real, 'r');
    fs.readSync(fd, head, 0, 4, 0);
    fs.closeSync(fd);
    if (head.toString('latin1') !== '\x7fELF') continue; // linker scripts named .so
    seen.add(real);
    out.push(real);
  }
  return out;
}

test('/usr/bin/node: defined dynamic exports equal readelf --dyn-syms', (t) => {
  if (!requireTool(t, 'readelf', 'binutils')) return;
  const n = checkDynamic(fs.realpathSync(process.execPath));
  assert.ok(n > 1000, `node exports ${n} symbols`);
});

test(`${PICK > 55 ? 'all' : PICK} random shared libraries of this machine equal readelf --dyn-syms`, (t) => {
  if (!requireTool(t, 'readelf', 'binutils')) return;
  const seed = Number(process.env.ELF_ORACLE_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`seed ${seed} (replay with ELF_ORACLE_SEED=${seed})`);
  console.log(`elf-oracle: library pick seed ${seed}`);
  const libs = systemLibraries();
  assert.ok(libs.length >= 50, `only ${libs.length} shared libraries under ${LIB_DIR}`);
  const rnd = seededRandom(seed);
  const picked = new Set<string>();
  while (picked.size < Math.min(PICK, libs.length)) picked.add(libs[Math.floor(rnd() * libs.length)]!);
  let total = 0;
  for (const lib of picked) total += checkDynamic(lib);
  t.diagnostic(`${picked.size} libraries, ${total} exports compared`);
});

test('.symtab with --all equals readelf --syms on an unstripped library', (t) => {
  if (!requireTool(t, 'readelf', 'binutils') || !requireTool(t, 'clang-14', 'clang-14')) return;
  const lib = buildCrossLibrary('x86_64-linux-gnu');
  const tables = readelfSymbols(lib, '--syms');
  const ours = read(lib, { all: true, imports: true }).symbols;
  const dyn = ours.filter((s) => s.source === 'dynsym');
  const sym = ours.filter((s) => s.source === 'symtab');
  compare(
    `${lib} .dynsym`,
    dyn,
    (tables.get('.dynsym') ?? []).filter((s) => s.index > 0),
  );
  compare(
    `${lib} .symtab`,
    sym,
    (tables.get('.symtab') ?? []).filter((s) => s.index > 0),
  );
  assert.ok(sym.some((s) => s.binding === 'local'));
});

for (const target of CROSS_TARGETS) {
  test(`ELF ${target.bits}-bit ${target.endian}-endian (${target.triple}) built with clang-14 equals readelf`, (t) => {
    if (!requireTool(t, 'readelf', 'binutils') || !requireTool(t, 'clang-14', 'clang-14')) return;
    if (!requireTool(t, 'ld.lld-14', 'lld-14')) return;
    const lib = buildCrossLibrary(target.triple);
    checkDynamic(lib);
    const file = read(lib, { all: true });
    assert.equal(file.info.bits, target.bits);
    assert.equal(file.info.endian, target.endian);
    assert.equal(file.info.machine, target.machine);
    assert.equal(file.info.fileType, 'shared');
    assert.equal(file.info.soname, 'libcross.so.1');
    assert.deepEqual(file.info.runpath.concat(file.info.rpath), ['/opt/cross/lib']);
    const byName = new Map(file.symbols.filter((s) => s.source === 'dynsym').map((s) => [s.name, s]));
    assert.equal(byName.get('add_one')?.kind, 'func');
    assert.equal(byName.get('per_thread')?.kind, 'tls');
    assert.equal(byName.get('plugin_counter')?.kind, 'object');
    assert.equal(byName.get('weak_default')?.binding, 'weak');
    assert.equal(byName.get('protected_fn')?.visibility, 'protected');
    assert.equal(byName.get('big_table')?.size, 4096);
    const apis = file.symbols.filter((s) => s.name === 'api' && s.source === 'dynsym');
    assert.deepEqual(apis.map((s) => `${s.version}${s.versionHidden ? ' hidden' : ''}`).sort(), [
      'V1 hidden',
      'V2',
    ]);
    assert.ok(!byName.has('hidden_helper'), 'static functions are not dynamic exports');
  });
}

test('files without section headers: symbols from the dynamic segment equal readelf -s -D', (t) => {
  if (!requireTool(t, 'readelf', 'binutils') || !requireTool(t, 'llvm-objcopy-14', 'llvm-14')) return;
  const inputs = [
    '/usr/lib/x86_64-linux-gnu/libz.so.1',
    fs.realpathSync('/usr/lib/x86_64-linux-gnu/libstdc++.so.6'),
  ];
  if (requireTool(t, 'clang-14', 'clang-14')) {
    for (const target of CROSS_TARGETS) inputs.push(buildCrossLibrary(target.triple));
  }
  for (const input of inputs) {
    const stripped = path.join(BUILD_DIR, `nosections-${path.basename(input)}`);
    const r = spawnSync('llvm-objcopy-14', ['--strip-sections', input, stripped], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const theirs = readelfSymbols(stripped, '--syms', '-D').get('image') ?? [];
    const ours = read(stripped, { imports: true }).symbols;
    compare(
      `${stripped} (no sections)`,
      ours,
      theirs.filter((s) => s.index > 0 && s.bind !== 'LOCAL'),
    );
    const original = read(input, { imports: true });
    assert.deepEqual(
      ours.map((s) => ({ ...s, section: null })),
      original.symbols.map((s) => ({ ...s, section: null })),
      `${input}: the same symbols with and without section headers`,
    );
    const info = read(stripped, {}).info;
    assert.equal(info.soname, original.info.soname);
    assert.deepEqual(info.needed, original.info.needed);
  }
});
