/**
 * Export tries built by hand: every terminal flavour (weak, thread-local, absolute, re-export,
 * stub-and-resolver), and the corruptions a crafted file can hold (loops, shared children, deep
 * chains, huge names, ULEB128 overflow, offsets outside the trie). Also injected into a real dylib
 * to check how readMachO turns trie entries into symbols.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FormatError } from '../../src/binary/errors.js';
import { readMachO } from '../../src/binary/macho.js';
import { MAX_TRIE_DEPTH, parseExportTrie } from '../../src/binary/macho-trie.js';
import { BufferSource } from '../../src/binary/source.js';
import { buildMachO, run } from '../helpers/cross.js';
import { requireTool } from '../helpers/tools.js';

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}
const cstr = (s: string): number[] => [...Buffer.from(s, 'utf8'), 0];
/** Child offsets padded to three bytes, so node sizes do not depend on where children land. */
const uleb3 = (v: number): number[] => [(v & 0x7f) | 0x80, ((v >> 7) & 0x7f) | 0x80, (v >> 14) & 0x7f];

interface TrieNode {
  terminal?: number[];
  children: [edge: string, node: number][];
}

function buildTrie(nodes: TrieNode[]): Uint8Array {
  const size = (n: TrieNode): number =>
    (n.terminal ? uleb(n.terminal.length).length + n.terminal.length : 1) +
    1 +
    n.children.reduce((a, [e]) => a + cstr(e).length + 3, 0);
  const offsets: number[] = [];
  let at = 0;
  for (const n of nodes) {
    offsets.push(at);
    at += size(n);
  }
  const out: number[] = [];
  for (const n of nodes) {
    if (n.terminal) out.push(...uleb(n.terminal.length), ...n.terminal);
    else out.push(0);
    out.push(n.children.length);
    for (const [edge, child] of n.children) out.push(...cstr(edge), ...uleb3(offsets[child] ?? child));
  }
  return Uint8Array.from(out);
}

const regular = (addr: number, flags = 0): number[] => [...uleb(flags), ...uleb(addr)];

function flavours(): Uint8Array {
  return buildTrie([
    { children: [['_', 1]] },
    {
      children: [
        ['plain', 2],
        ['weak', 3],
        ['tls', 4],
        ['abs', 5],
        ['fwd', 6],
        ['same', 7],
        ['resolved', 8],
        ['caf\u00e9', 9],
      ],
    },
    { terminal: regular(0x10), children: [] },
    { terminal: regular(0x20, 0x04), children: [] },
    { terminal: regular(0x30, 0x01), children: [] },
    { terminal: regular(0x1234, 0x02), children: [] },
    { terminal: [...uleb(0x08), ...uleb(1), ...cstr('_other')], children: [] },
    { terminal: [...uleb(0x08), ...uleb(1), 0], children: [] },
    { terminal: [...uleb(0x10), ...uleb(0x40), ...uleb(0x50)], children: [] },
    { terminal: regular(0x60), children: [] },
  ]);
}

function expectCorrupt(data: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => parseExportTrie(data, 1000),
    (e: unknown) =>
      e instanceof FormatError && pattern.test(e.message) && e.offset !== null && e.offset >= 1000,
  );
}

test('terminal flavours: regular, weak, thread-local, absolute, re-export, resolver, UTF-8 names', () => {
  const entries = parseExportTrie(flavours(), 0);
  const by = new Map(entries.map((e) => [e.name, e]));
  assert.deepEqual(by.get('_plain'), {
    name: '_plain',
    flags: 0,
    address: 0x10,
    ordinal: null,
    importName: null,
    resolver: null,
  });
  assert.equal(by.get('_weak')?.flags, 0x04);
  assert.equal(by.get('_tls')?.flags, 0x01);
  assert.equal(by.get('_abs')?.address, 0x1234);
  assert.deepEqual([by.get('_fwd')?.ordinal, by.get('_fwd')?.importName], [1, '_other']);
  assert.equal(by.get('_same')?.importName, '');
  assert.deepEqual([by.get('_resolved')?.address, by.get('_resolved')?.resolver], [0x40, 0x50]);
  assert.ok(by.has('_caf\u00e9'), 'names are decoded as UTF-8');
  assert.equal(entries.length, 8);
});

test('loops, shared children and offsets outside the trie are corruption, not infinite walks', () => {
  expectCorrupt(
    buildTrie([{ children: [['_a', 1]] }, { terminal: regular(1), children: [['b', 0]] }]),
    /loop/,
  );
  expectCorrupt(buildTrie([{ children: [['_a', 1]] }, { children: [['b', 1]] }]), /loop/);
  expectCorrupt(
    buildTrie([
      {
        children: [
          ['_a', 1],
          ['_b', 1],
        ],
      },
      { terminal: regular(1), children: [] },
    ]),
    /shared/,
  );
  expectCorrupt(buildTrie([{ children: [['_a', 5000]] }]), /outside/);
  expectCorrupt(Uint8Array.from([0x05, 0x00, 0x10, 0x00]), /past the end/);
  expectCorrupt(Uint8Array.from([0x00, 0x01, 0x5f, 0x61]), /unterminated/);
  expectCorrupt(Uint8Array.from([0x80]), /truncated ULEB128/);
  expectCorrupt(Uint8Array.from([0x0c, 0x00, ...Array(10).fill(0xff), 0x01, 0x00]), /too large/);
  // A padded ULEB128 (0x80 0x80 0x00 = 0) is valid.
  assert.deepEqual(
    parseExportTrie(Uint8Array.from([0x04, 0x80, 0x80, 0x00, 0x05, 0x00]), 0).map((e) => e.address),
    [5],
  );
});

test('depth, name length and total name bytes are bounded', () => {
  const chain = (n: number): TrieNode[] =>
    Array.from({ length: n }, (_, i) =>
      i === n - 1 ? { terminal: regular(1), children: [] } : { children: [['a', i + 1]] },
    );
  const ok = parseExportTrie(buildTrie(chain(MAX_TRIE_DEPTH)), 0);
  assert.equal(ok[0]!.name.length, MAX_TRIE_DEPTH - 1);
  expectCorrupt(buildTrie(chain(MAX_TRIE_DEPTH + 2)), /too deeply/);
  expectCorrupt(
    buildTrie([{ children: [['x'.repeat(70_000), 1]] }, { terminal: regular(1), children: [] }]),
    /too long/,
  );

  // A 60 KB prefix shared by 4000 one-letter leaves would be 240 MB of names from a 100 KB trie.
  const leaves: TrieNode[] = Array.from({ length: 4000 }, () => ({ terminal: regular(1), children: [] }));
  const fan: TrieNode = { children: leaves.map((_, i) => [String(i), i + 2]) };
  const t0 = performance.now();
  expectCorrupt(buildTrie([{ children: [['y'.repeat(60_000), 1]] }, fan, ...leaves]), /more name bytes/);
  assert.ok(performance.now() - t0 < 1000);
});

test('readMachO turns injected trie entries into symbols: forwarders, resolvers, absolute, tls, weak', (t) => {
  if (!requireTool(t, 'clang-14', 'clang-14') || !requireTool(t, 'ld64.lld-14', 'lld-14')) return;
  const set = buildMachO();
  const orig = fs.readFileSync(set.user);
  const inject = (trie: Uint8Array): Buffer => {
    const b = Buffer.concat([orig, Buffer.from(trie)]);
    const ncmds = b.readUInt32LE(16);
    let p = 32;
    for (let i = 0; i < ncmds; i++) {
      if (b.readUInt32LE(p) === 0x80000022) {
        b.writeUInt32LE(orig.length, p + 40);
        b.writeUInt32LE(trie.length, p + 44);
      }
      p += b.readUInt32LE(p + 4);
    }
    return b;
  };
  const f = readMachO(new BufferSource(inject(flavours())), 'inj.dylib', {});
  const by = new Map(f.symbols.map((s) => [s.name, s]));
  const lib = '/usr/local/lib/libdep.dylib';
  assert.deepEqual(
    [by.get('fwd')?.forwarder, by.get('fwd')?.library, by.get('fwd')?.kind, by.get('fwd')?.address],
    [`${lib}:_other`, lib, 'other', '0x0'],
  );
  assert.equal(by.get('same')?.forwarder, `${lib}:_same`);
  assert.equal(by.get('resolved')?.kind, 'ifunc');
  assert.deepEqual(
    [by.get('abs')?.kind, by.get('abs')?.address, by.get('abs')?.section],
    ['notype', '0x1234', null],
  );
  assert.equal(by.get('tls')?.kind, 'tls');
  assert.equal(by.get('weak')?.binding, 'weak');
  assert.equal(by.get('plain')?.address, '0x10');
  assert.equal(by.get('user')?.source, 'nlist', 'an nlist export missing from the trie is still listed');
  for (const s of f.symbols.filter((x) => x.source === 'trie')) assert.equal(s.defined, true);

  const badOrdinal = buildTrie([
    { children: [['_x', 1]] },
    { terminal: [...uleb(0x08), ...uleb(9), 0], children: [] },
  ]);
  assert.throws(
    () => readMachO(new BufferSource(inject(badOrdinal)), 'inj.dylib', {}),
    (e: unknown) => e instanceof FormatError && /library ordinal 9/.test(e.message),
  );
});

/**
 * A 32-bit big-endian (PowerPC) dylib built byte by byte: no linker here makes one, and the reader
 * must honour both byte orders and the 12-byte nlist. llvm-nm still reads it, so it stays an oracle.
 */
function ppcDylib(): Buffer {
  const b = Buffer.alloc(0x1000);
  const strtab = '\0_ppc_fn\0_ppc_two\0_puts\0';
  const trie = buildTrie([
    { children: [['_ppc_', 1]] },
    {
      children: [
        ['fn', 2],
        ['two', 3],
      ],
    },
    { terminal: regular(0x200), children: [] },
    { terminal: regular(0x210, 0x04), children: [] },
  ]);
  let p = 28;
  const cmd = (words: number[], tail: Buffer = Buffer.alloc(0)): void => {
    words.forEach((w, i) => b.writeUInt32BE(w, p + i * 4));
    tail.copy(b, p + words.length * 4);
    p += words[1]!;
  };
  const name16 = (s: string): number[] => {
    const n = Buffer.alloc(16);
    n.write(s, 'latin1');
    return [0, 1, 2, 3].map((i) => n.readUInt32BE(i * 4));
  };
  cmd([
    ...[1, 124, ...name16('__TEXT'), 0, 0x1000, 0, 0x1000, 5, 5, 1, 0],
    ...[...name16('__text'), ...name16('__TEXT'), 0x200, 0x100, 0x200, 2, 0, 0, 0x80000400, 0, 0],
  ]);
  cmd([0xd, 48, 24, 0, 0, 0], Buffer.from('/usr/lib/libppc.dylib\0', 'latin1'));
  cmd([2, 24, 0x400, 3, 0x440, strtab.length]);
  cmd([0x80000022, 48, 0, 0, 0, 0, 0, 0, 0, 0, 0x480, trie.length]);
  b.writeUInt32BE(0xfeedface, 0);
  b.writeInt32BE(18, 4);
  b.writeUInt32BE(6, 12);
  b.writeUInt32BE(4, 16);
  b.writeUInt32BE(p - 28, 20);
  b.writeUInt32BE(0x80, 24);
  const nlist = (at: number, strx: number, type: number, sect: number, desc: number, value: number): void => {
    b.writeUInt32BE(strx, at);
    b[at + 4] = type;
    b[at + 5] = sect;
    b.writeUInt16BE(desc, at + 6);
    b.writeUInt32BE(value, at + 8);
  };
  nlist(0x400, 1, 0x0f, 1, 0, 0x200);
  nlist(0x40c, 9, 0x0f, 1, 0x80, 0x210);
  nlist(0x418, 18, 0x01, 0, 0xfe00, 0);
  b.write(strtab, 0x440, 'latin1');
  Buffer.from(trie).copy(b, 0x480);
  return b;
}

test('32-bit big-endian PowerPC dylib: header, nlist, trie and imports read in the right byte order', (t) => {
  const bytes = ppcDylib();
  const f = readMachO(new BufferSource(bytes), 'libppc.dylib', { imports: true });
  assert.equal(f.info.description, 'Mach-O 32-bit ppc dynamic library');
  assert.deepEqual(
    [f.info.bits, f.info.endian, f.info.arch, f.info.soname],
    [32, 'big', 'ppc', '/usr/lib/libppc.dylib'],
  );
  assert.deepEqual(
    f.symbols.map((s) => [s.name, s.address, s.binding, s.kind, s.section, s.defined, s.source]),
    [
      ['ppc_fn', '0x200', 'global', 'func', '__TEXT,__text', true, 'trie'],
      ['ppc_two', '0x210', 'weak', 'func', '__TEXT,__text', true, 'trie'],
      ['puts', '0x0', 'global', 'notype', null, false, 'nlist'],
    ],
  );
  assert.deepEqual(f.sections, [
    { name: '__TEXT,__text', offset: 0x200, size: 0x100, addr: 0x200, hasBytes: true },
  ]);
  if (!requireTool(t, 'llvm-nm-14', 'llvm-14')) return;
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), '../../build/cross/libppc.dylib');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  assert.equal(run('llvm-nm-14', [file]), '00000200 T _ppc_fn\n00000210 T _ppc_two\n         U _puts\n');
  assert.match(
    run('llvm-objdump-14', ['--macho', '--exports-trie', file]),
    /0x00000200 {2}_ppc_fn\n0x00000210 {2}_ppc_two \[weak_def\]/,
  );
});
