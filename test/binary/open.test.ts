/**
 * openBinary on every kind of input a user may point it at: the three formats, and everything that
 * is not a loadable binary, each turned into one sentence (FormatError) that says what the file is
 * and why it cannot be used. Files are made here, in build/, from real tools where a binary is needed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openBinary, loadVerdict } from '../../src/binary/open.js';
import { detectFormat } from '../../src/binary/detect.js';
import { FormatError } from '../../src/binary/errors.js';
import type { BinaryInfo } from '../../src/binary/types.js';
import { requireTool } from '../helpers/tools.js';
import { buildCrossLibrary } from './elf-readelf.js';

const DIR = path.resolve(import.meta.dirname, '../../build/test-open');
fs.mkdirSync(DIR, { recursive: true });

function file(name: string, content: string | Uint8Array): string {
  const p = path.join(DIR, name);
  fs.writeFileSync(p, content);
  return p;
}

function gcc(
  t: import('node:test').TestContext,
  name: string,
  args: string[],
  source: string,
): string | null {
  if (!requireTool(t, 'gcc', 'gcc')) return null;
  const src = file(`${name}.c`, source);
  const out = path.join(DIR, name);
  const r = spawnSync('gcc', [...args, '-o', out, src], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

/** The FormatError sentence for `p`; fails when opening succeeds or throws anything else. */
function sentence(p: string): string {
  try {
    openBinary(p);
  } catch (err) {
    assert.ok(err instanceof FormatError, `expected FormatError, got ${String(err)}`);
    assert.ok(!err.message.includes('\n'), 'one line');
    assert.ok(!/\bat .*\.(ts|js):\d+/.test(err.message), 'no stack trace');
    return err.message;
  }
  assert.fail(`${p} opened without error`);
}

test('things that are not binaries get a sentence saying what they are', () => {
  assert.match(sentence(DIR), /directory/);
  assert.match(sentence(path.join(DIR, 'does-not-exist.so')), /no such file/);
  assert.match(sentence(file('empty.so', '')), /empty file/);
  assert.match(sentence(file('notes.txt', 'hello\nworld, café\n')), /text file/);
  assert.match(sentence(file('run.sh', '#!/bin/sh\necho hi\n')), /script \(#!\/bin\/sh\)/);
  assert.match(
    sentence(file('lib.a', '!<arch>\nfoo.o/          0           0     0     644     4         `\nabcd')),
    /ar archive/,
  );
  assert.match(sentence(file('Main.class', Buffer.from('cafebabe00000034000a0a', 'hex'))), /Java class/);
  assert.match(sentence(file('x.wasm', Buffer.from('0061736d01000000', 'hex'))), /WebAssembly/);
  assert.match(sentence(file('x.gz', Buffer.from('1f8b0800000000000003', 'hex'))), /gzip/);
  assert.match(sentence(file('x.zip', Buffer.from('504b0304140000000000', 'hex'))), /Zip archive/);
  assert.match(
    sentence(file('random.bin', Buffer.from('deadbeef0001020304ff', 'hex'))),
    /unknown format \(first bytes de ad be ef\)/,
  );
  assert.match(
    sentence(file('dos.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62)]))),
    /DOS MZ executable/,
  );
  assert.match(sentence(file('short.exe', 'MZ')), /truncated/);
  assert.match(sentence('/dev/null'), /not a regular file/);
});

test('truncated and corrupt ELF files name the file and the place', (t) => {
  if (!requireTool(t, 'clang-14', 'clang-14')) return;
  const lib = fs.readFileSync(buildCrossLibrary('x86_64-linux-gnu'));
  const head = sentence(file('trunc-header.so', lib.subarray(0, 40)));
  assert.match(head, /truncated: the 64-bit ELF header needs 64 bytes but the file has 40/);
  const body = sentence(file('trunc-body.so', lib.subarray(0, 2000)));
  assert.match(body, /^ELF 64-bit LSB shared library, x86-64: truncated or corrupt: .* at byte \d+/);
  const bad = Buffer.from(lib);
  bad[4] = 7; // class byte
  assert.match(sentence(file('bad-class.so', bad)), /corrupt ELF identification: class byte is 7/);
  // A section header table pointing past the end of the file.
  const off = Buffer.from(lib);
  off.writeBigUInt64LE(BigInt(lib.length * 4), 40);
  const msg = sentence(file('bad-shoff.so', off));
  assert.match(msg, /section header/);
  try {
    openBinary(path.join(DIR, 'bad-shoff.so'));
  } catch (err) {
    assert.equal((err as FormatError).offset, lib.length * 4);
  }
});

test('a shared library of this machine opens, annotated and loadable', (t) => {
  const lib = gcc(
    t,
    'libstudio.so',
    ['-shared', '-fPIC', '-O1'],
    `#include <stdint.h>
#include <stdlib.h>
uint32_t plugin_studio_abi_version(void) { return 1; }
void plugin_studio_free(void *p) { free(p); }
const char *plugin_studio_manifest(void) { return "{}"; }
int AddHeader(const uint8_t *in, size_t n, uint8_t **out, size_t *out_len) { (void)in; (void)n; *out = 0; *out_len = 0; return 0; }
`,
  );
  if (!lib) return;
  const f = openBinary(lib);
  assert.equal(f.info.format, 'elf');
  assert.equal(f.info.fileType, 'shared');
  assert.deepEqual(f.info.loadable, { ok: true, reason: null });
  assert.ok(f.info.needed.includes('libc.so.6'));
  const by = new Map(f.symbols.map((s) => [s.name, s]));
  assert.equal(by.get('plugin_studio_abi_version')?.abi, 'abi_version');
  assert.equal(by.get('plugin_studio_free')?.abi, 'free');
  assert.equal(by.get('plugin_studio_manifest')?.abi, 'manifest');
  assert.equal(by.get('AddHeader')?.abi, null);
  assert.equal(by.get('AddHeader')?.language, 'c');
  assert.equal(by.get('AddHeader')?.noise, false);
  assert.equal(by.get('AddHeader')?.handler, null);
  for (const s of f.symbols) assert.equal(s.defined, true);
  const imports = openBinary(lib, { imports: true }).symbols.filter((s) => !s.defined);
  const free = imports.find((s) => s.name === 'free');
  assert.equal(free?.version, 'GLIBC_2.2.5');
  assert.equal(free?.library, 'libc.so.6');
});

test('C++ exports are demangled and classified; --no-demangle keeps them as stored', (t) => {
  if (!requireTool(t, 'g++', 'g++')) return;
  const src = file(
    'cxx.cc',
    'namespace plug { int handle(const char *s, unsigned n) { return s[0] + n; } }\n',
  );
  const out = path.join(DIR, 'libcxx.so');
  const r = spawnSync('g++', ['-shared', '-fPIC', '-o', out, src], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const s = openBinary(out).symbols.find((x) => x.name === '_ZN4plug6handleEPKcj');
  assert.equal(s?.demangled, 'plug::handle(char const*, unsigned int)');
  assert.equal(s?.language, 'c++');
  const raw = openBinary(out, { demangle: false }).symbols.find((x) => x.name === '_ZN4plug6handleEPKcj');
  assert.equal(raw?.demangled, null);
});

test('objects, static and dynamic executables, PIE: opened, with the reason they cannot load', (t) => {
  const obj = path.join(DIR, 'plain.o');
  const csrc = file('plain.c', 'int answer(void) { return 42; }\nint main(void) { return answer(); }\n');
  if (!requireTool(t, 'gcc', 'gcc')) return;
  assert.equal(spawnSync('gcc', ['-c', '-o', obj, csrc]).status, 0);
  const o = openBinary(obj);
  assert.equal(o.info.fileType, 'object');
  assert.equal(o.info.hasDynamicSymbols, false);
  assert.match(
    o.info.loadable.reason ?? '',
    /^ELF 64-bit x86-64 relocatable object file: an object file with no dynamic symbols/,
  );
  assert.ok(openBinary(obj, { all: true }).symbols.some((s) => s.name === 'answer' && s.source === 'symtab'));

  const stat = path.join(DIR, 'static-exe');
  const rs = spawnSync('gcc', ['-static', '-o', stat, csrc], { encoding: 'utf8' });
  if (rs.status === 0) {
    const s = openBinary(stat);
    assert.equal(s.info.hasDynamicSymbols, false);
    assert.match(s.info.loadable.reason ?? '', /static executable with no dynamic symbols/);
  }
  const pie = path.join(DIR, 'pie-exe');
  assert.equal(spawnSync('gcc', ['-pie', '-fPIE', '-o', pie, csrc]).status, 0);
  assert.equal(openBinary(pie).info.fileType, 'pie');
  assert.match(openBinary(pie).info.loadable.reason ?? '', /position-independent executable/);
  const exe = path.join(DIR, 'nopie-exe');
  assert.equal(spawnSync('gcc', ['-no-pie', '-o', exe, csrc]).status, 0);
  assert.equal(openBinary(exe).info.fileType, 'executable');
  assert.match(openBinary(exe).info.loadable.reason ?? '', /a program, not a shared library/);
});

test('another architecture or OS: the verdict names both', (t) => {
  if (!requireTool(t, 'clang-14', 'clang-14')) return;
  const arm = openBinary(buildCrossLibrary('armv7-linux-gnueabihf'));
  assert.equal(arm.info.loadable.ok, false);
  const host = process.arch === 'x64' ? 'x86-64' : process.arch;
  if (process.arch !== 'arm') {
    assert.equal(
      arm.info.loadable.reason,
      `ELF 32-bit ARM shared library: cannot load on this ${host} machine`,
    );
  }
  const info: BinaryInfo = {
    ...arm.info,
    format: 'macho',
    os: 'darwin',
    arch: 'arm64',
    fileType: 'dylib',
    description: 'Mach-O 64-bit arm64 dynamic library',
  };
  assert.equal(
    loadVerdict(info, 'linux', 'x64').reason,
    'Mach-O 64-bit arm64 dynamic library: built for macOS, cannot load on this Linux machine',
  );
  assert.deepEqual(loadVerdict(info, 'darwin', 'arm64'), { ok: true, reason: null });
  const fbsd: BinaryInfo = { ...arm.info, arch: 'x64', machine: 'x86-64', os: 'freebsd', osAbi: 'FreeBSD' };
  assert.match(
    loadVerdict(fbsd, 'linux', 'x64').reason ?? '',
    /built for FreeBSD, cannot load on this Linux machine/,
  );
});

test('0xcafebabe: a universal Mach-O file and a Java class file are told apart', () => {
  const readAt = () => new Uint8Array(4);
  const fat = Buffer.from('cafebabe0000000201000007000000030000100000001000000000c', 'hex');
  assert.equal(detectFormat(fat, 4096, readAt), 'macho');
  const fat64 = Buffer.from('cafebabf00000001', 'hex');
  assert.equal(detectFormat(fat64, 4096, readAt), 'macho');
  for (const version of ['0000002d', '00000034', '00000041']) {
    assert.throws(
      () => detectFormat(Buffer.from(`cafebabe${version}`, 'hex'), 4096, readAt),
      /Java class file/,
    );
  }
  assert.throws(() => detectFormat(Buffer.from('cafebabe', 'hex'), 4, readAt), /truncated/);
});

test('format detection on random and magic-prefixed bytes: a format or one FormatError sentence', () => {
  const magics = [
    '',
    '\x7fELF',
    'MZ',
    '#!',
    '!<arch>\n',
    '\xca\xfe\xba\xbe',
    '\xcf\xfa\xed\xfe',
    'PK\x03\x04',
  ];
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 5000; i++) {
    const len = Math.floor(rnd() * 600);
    const b = Buffer.alloc(len);
    for (let k = 0; k < len; k++)
      b[k] = rnd() < 0.7 ? 0x20 + Math.floor(rnd() * 95) : Math.floor(rnd() * 256);
    Buffer.from(magics[i % magics.length]!, 'latin1').copy(b);
    const head = b.subarray(0, Math.min(512, b.length));
    const readAt = (o: number, n: number) => {
      if (o + n > b.length) throw new FormatError(`truncated at ${o}`, o);
      return b.subarray(o, o + n);
    };
    try {
      const f = detectFormat(head, b.length, readAt);
      assert.ok(['elf', 'macho', 'pe'].includes(f));
    } catch (err) {
      assert.ok(err instanceof FormatError, String(err));
      assert.ok(!err.message.includes('\n'));
    }
  }
});
