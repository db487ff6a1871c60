/**
 * The Mach-O export trie (LC_DYLD_INFO[_ONLY] export_off, LC_DYLD_EXPORTS_TRIE), as dyld reads it:
 * each node has an optional terminal payload (flags, address or re-export, resolver) and edges
 * labelled with the next part of the symbol name. The bytes come from the file, so the walk is
 * iterative with a visited set (a shared or looping child is corruption, never followed twice),
 * depth and name-length limits, and a budget on the total name bytes produced, so a small crafted
 * trie cannot make us build gigabytes of names.
 */
import { FormatError } from './errors.js';

export const EXPORT_SYMBOL_FLAGS_KIND_MASK = 0x03;
export const EXPORT_SYMBOL_FLAGS_KIND_REGULAR = 0x00;
export const EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL = 0x01;
export const EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE = 0x02;
export const EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION = 0x04;
export const EXPORT_SYMBOL_FLAGS_REEXPORT = 0x08;
export const EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER = 0x10;
export const EXPORT_SYMBOL_FLAGS_STATIC_RESOLVER = 0x20;

/** Deeper than any real symbol name needs: real tries split names into a few dozen edges. */
export const MAX_TRIE_DEPTH = 4096;
/** Longest name accepted; real C++ names reach a few kilobytes. */
export const MAX_TRIE_NAME = 65536;

export interface ExportTrieEntry {
  /** Raw name, with the C leading underscore. */
  name: string;
  flags: number;
  /** Offset from the image's base address (absolute value for KIND_ABSOLUTE); 0 for re-exports. */
  address: number;
  /** Re-exports: 1-based library ordinal into the image's dylib load commands. */
  ordinal: number | null;
  /** Re-exports: the name in the other library ('' = same name). */
  importName: string | null;
  /** STUB_AND_RESOLVER: offset of the resolver function. */
  resolver: number | null;
}

const NON_ASCII = /[\u0080-\u00ff]/;

/** Reads the trie in `data`; `fileOffset` is where `data` starts in the file, for error offsets. */
export function parseExportTrie(data: Uint8Array, fileOffset: number): ExportTrieEntry[] {
  const out: ExportTrieEntry[] = [];
  if (data.length === 0) return out;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = data.length;
  const visited = new Uint8Array(end);
  let budget = 64 * end + (1 << 20);
  let pos = 0;

  const fail = (what: string, at: number): never => {
    throw new FormatError(`corrupt Mach-O export trie: ${what} at byte ${fileOffset + at}`, fileOffset + at);
  };
  const uleb = (limit: number): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= limit) fail('truncated ULEB128 number', pos);
      const byte = data[pos++]!;
      const low = byte & 0x7f;
      if (low !== 0) {
        result += low * scale;
        if (result > Number.MAX_SAFE_INTEGER) fail('ULEB128 number too large', pos - 1);
      }
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
  };
  const cstring = (limit: number): string => {
    const nul = buf.indexOf(0, pos);
    if (nul < 0 || nul >= limit) fail('unterminated string', pos);
    const s = buf.toString('latin1', pos, nul);
    pos = nul + 1;
    return s;
  };

  // Explicit stack: [node offset, name prefix, depth]. Children are pushed in reverse so entries
  // come out in the trie's own (lexicographic) order.
  const stack: [number, string, number][] = [[0, '', 0]];
  while (stack.length > 0) {
    const [node, prefix, depth] = stack.pop()!;
    if (visited[node]) fail('a node reached twice (loop or shared child)', node);
    visited[node] = 1;
    pos = node;
    const terminalSize = uleb(end);
    const terminalStart = pos;
    const childrenStart = terminalStart + terminalSize;
    if (childrenStart >= end) fail('node extends past the end of the trie', node);
    if (terminalSize > 0) {
      const flags = uleb(childrenStart);
      let address = 0;
      let ordinal: number | null = null;
      let importName: string | null = null;
      let resolver: number | null = null;
      if (flags & EXPORT_SYMBOL_FLAGS_REEXPORT) {
        ordinal = uleb(childrenStart);
        importName = cstring(childrenStart);
      } else {
        address = uleb(childrenStart);
        if (flags & EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER) resolver = uleb(childrenStart);
      }
      budget -= prefix.length;
      if (budget < 0) fail('more name bytes than the trie could hold', node);
      const name = NON_ASCII.test(prefix) ? Buffer.from(prefix, 'latin1').toString('utf8') : prefix;
      if (importName !== null && NON_ASCII.test(importName)) {
        importName = Buffer.from(importName, 'latin1').toString('utf8');
      }
      out.push({ name, flags, address, ordinal, importName, resolver });
    }
    pos = childrenStart;
    const childCount = data[pos++]!;
    const children: [number, string, number][] = [];
    for (let i = 0; i < childCount; i++) {
      const edgeAt = pos;
      const edge = cstring(end);
      const child = uleb(end);
      if (child >= end) fail(`child offset ${child} outside the ${end}-byte trie`, edgeAt);
      if (depth + 1 > MAX_TRIE_DEPTH) fail('nodes nested too deeply', edgeAt);
      const name = prefix + edge;
      if (name.length > MAX_TRIE_NAME) fail('symbol name too long', edgeAt);
      children.push([child, name, depth + 1]);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}
