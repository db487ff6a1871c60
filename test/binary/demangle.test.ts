/**
 * Demangling against binutils' c++filt on real binaries: C++ from /usr/bin/node's exports, Rust v0
 * from Rust's own shared libraries and Rust legacy names from a Rust executable's symbol table
 * (found on this machine: rustup toolchains, ~/.cargo/bin). `c++filt -i` is the form `nm -C`
 * prints: without libiberty's "verbose" expansions (std::ostream stays std::ostream, Rust crate
 * hashes are left out).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CxaDemangler, demangle, demangleAll, demangleWasm, manglingOf } from '../../src/binary/demangle.js';
import { readElf } from '../../src/binary/elf.js';
import { FileSource } from '../../src/binary/source.js';
import { hasTool, requireTool } from '../helpers/tools.js';

function names(file: string, all = false): string[] {
  const src = FileSource.open(file);
  try {
    return [...new Set(readElf(src, file, { all }).symbols.map((s) => s.name))];
  } finally {
    src.close();
  }
}

function cxxfilt(input: string[]): string[] {
  const r = spawnSync('c++filt', ['-i'], {
    input: input.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').slice(0, input.length);
}

function expectSameAsCxxfilt(mangled: string[]): void {
  const ours = demangleAll(mangled).map((d, i) => d ?? mangled[i]!);
  const theirs = cxxfilt(mangled);
  const diffs: string[] = [];
  for (let i = 0; i < mangled.length; i++) {
    if (ours[i] !== theirs[i]) diffs.push(`${mangled[i]}\n  ours:     ${ours[i]}\n  c++filt:  ${theirs[i]}`);
  }
  assert.equal(diffs.length, 0, `${diffs.length} names differ, first ones:\n${diffs.slice(0, 5).join('\n')}`);
}

test('manglingOf recognises each scheme', () => {
  assert.equal(manglingOf('_ZN2v88internal4Heap2GCEv'), 'itanium');
  assert.equal(manglingOf('_ZN3std2rt10lang_start17h0123456789abcdefE'), 'rust-legacy');
  assert.equal(manglingOf('_ZN3std2rt10lang_start17h0123456789abcdefE.llvm.42'), 'rust-legacy');
  assert.equal(manglingOf('_RNvCs1234_7mycrate3foo'), 'rust-v0');
  assert.equal(manglingOf('?foo@@YAXXZ'), 'msvc');
  assert.equal(manglingOf('malloc'), null);
  assert.equal(manglingOf('_start'), null);
});

test('single names: C++, Rust v0, MSVC, plain C and invalid input', () => {
  assert.equal(demangle('_ZN2v88internal4Heap2GCEv'), 'v8::internal::Heap::GC()');
  assert.equal(demangle('_RNvCs1234_7mycrate3foo'), 'mycrate::foo');
  assert.equal(demangle('?foo@@YAXXZ'), 'foo(void)');
  assert.equal(demangle('malloc'), null);
  assert.equal(demangle('_Z'), null);
  assert.equal(demangle('_ZN'), null);
  assert.equal(demangle(''), null);
});

test('a C++ name whose demangled form outgrows the reused 64 KiB buffer equals c++filt', (t) => {
  if (!requireTool(t, 'c++filt', 'binutils')) return;
  // Substitutions (S0_) make the demangled form a hundred times longer than the mangled name.
  const id = 'x'.repeat(650);
  const mangled = `_Z1fIN${id.length}${id}1AE${'S0_'.repeat(100)}EvT_`;
  const d = demangle(mangled);
  assert.ok(d !== null && d.length > 65536, `demangled length ${d?.length}`);
  assert.equal(d, cxxfilt([mangled])[0]);
  assert.equal(
    demangle('_ZN2v88internal4Heap2GCEv'),
    'v8::internal::Heap::GC()',
    'still works after growing',
  );
});

test('C++ names over 1,024 bytes stay as stored, as with nm -C and c++filt -i', (t) => {
  if (!requireTool(t, 'c++filt', 'binutils')) return;
  // libiberty (binutils) and libstdc++ share the demangler and its length limit in this mode.
  const ids = Array.from({ length: 30 }, (_, i) => `${'y'.repeat(90)}${i}`);
  const mangled = `_ZN${ids.map((x) => `${x.length}${x}`).join('')}Ev`;
  assert.equal(cxxfilt([mangled])[0], mangled);
  assert.equal(demangle(mangled), null);
});

test('C++: every export of /usr/bin/node demangles exactly as c++filt', (t) => {
  if (!requireTool(t, 'c++filt', 'binutils')) return;
  assert.ok(CxaDemangler.get(), 'libstdc++ __cxa_demangle loads through koffi');
  const all = names(fs.realpathSync(process.execPath)).filter((n) => manglingOf(n) === 'itanium');
  assert.ok(all.length > 10000, `${all.length} C++ names`);
  expectSameAsCxxfilt(all);
});

/** Real Rust binaries on this machine: rustup toolchains' libraries and the rustup executable. */
function rustBinaries(): { v0: string[]; legacy: string[] } {
  const home = os.homedir();
  const roots = [path.join(home, '.rustup/toolchains'), '/usr/local/rustup/toolchains', '/opt/rust'];
  const v0: string[] = [];
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    for (const tc of fs.readdirSync(root)) {
      const lib = path.join(root, tc, 'lib/rustlib');
      if (!fs.existsSync(lib)) continue;
      for (const target of fs.readdirSync(lib)) {
        const dir = path.join(lib, target, 'lib');
        if (!fs.existsSync(dir)) continue;
        for (const f of fs.readdirSync(dir)) if (/^libstd-.*\.so$/.test(f)) v0.push(path.join(dir, f));
      }
    }
  }
  for (const dir of ['/usr/lib', '/usr/lib/x86_64-linux-gnu']) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (/^libstd-.*\.so$/.test(f)) v0.push(path.join(dir, f));
  }
  const legacy = [path.join(home, '.cargo/bin/rustup'), '/usr/local/cargo/bin/rustup']
    .filter((p) => fs.existsSync(p))
    .map((p) => fs.realpathSync(p));
  if (v0.length === 0 && hasTool('rustc')) {
    // No Rust library installed but a compiler: build a Rust dylib (its exports keep Rust names).
    const dir = path.resolve(import.meta.dirname, '../../build/test-rust');
    fs.mkdirSync(dir, { recursive: true });
    const src = path.join(dir, 'lib.rs');
    fs.writeFileSync(
      src,
      'pub struct Widget<T> { pub v: T }\nimpl<T: Copy> Widget<T> { #[inline(never)] pub fn get(&self) -> T { self.v } }\n' +
        'pub fn make() -> u64 { Widget { v: 7u64 }.get() + Widget { v: 1u32 }.get() as u64 }\n',
    );
    const out = path.join(dir, 'libstudio_rust_v0.so');
    const r = spawnSync('rustc', [
      '--crate-type',
      'dylib',
      '-C',
      'symbol-mangling-version=v0',
      '-o',
      out,
      src,
    ]);
    if (r.status === 0) v0.push(out);
  }
  return { v0, legacy };
}

test('Rust: v0 and legacy names of real Rust binaries demangle exactly as c++filt', (t) => {
  if (!requireTool(t, 'c++filt', 'binutils')) return;
  const found = rustBinaries();
  t.diagnostic(`Rust binaries: ${[...found.v0, ...found.legacy].join(', ') || 'none'}`);
  if (found.v0.length === 0 && found.legacy.length === 0) {
    const msg =
      'no Rust binary on this machine (rustup toolchain, ~/.cargo/bin/rustup) and no rustc to build one';
    if (process.env.CI === 'true') throw new Error(`${msg}: CI must provide one`);
    t.skip(msg);
    return;
  }
  let v0 = 0;
  let legacy = 0;
  for (const lib of found.v0) {
    const rust = names(lib).filter((n) => manglingOf(n) === 'rust-v0');
    v0 += rust.length;
    expectSameAsCxxfilt(rust);
  }
  for (const exe of found.legacy) {
    const rust = names(exe, true).filter((n) => manglingOf(n) === 'rust-legacy');
    legacy += rust.length;
    expectSameAsCxxfilt(rust);
  }
  t.diagnostic(`${v0} v0 names, ${legacy} legacy names compared`);
  // Where binutils' libbfd is missing, Rust goes to the WASM demangler: it must agree as well.
  const sample = [
    ...found.v0.flatMap((lib) => names(lib).filter((n) => manglingOf(n) === 'rust-v0')).slice(0, 3000),
    ...found.legacy
      .flatMap((exe) => names(exe, true).filter((n) => manglingOf(n) === 'rust-legacy'))
      .slice(0, 3000),
  ];
  const wasm = sample.map((n) => demangleWasm(n) ?? n);
  const theirs = cxxfilt(sample);
  const differ = sample.filter((_, k) => wasm[k] !== theirs[k]);
  assert.equal(differ.length, 0, `WASM demangler differs from c++filt on ${differ.slice(0, 3).join(', ')}`);
  assert.ok(v0 + legacy > 100);
});
