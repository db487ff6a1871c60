/**
 * What kind of file this is, from its first bytes: one of the three binary formats we read, or a
 * FormatError sentence that says what the file is and why it cannot be used.
 */
import fs from 'node:fs';
import { FormatError } from './errors.js';
import { FileSource } from './source.js';
import type { BinaryFormat } from './types.js';

/** Bytes read to recognise a file; enough for every magic and a text sample. */
export const SNIFF_BYTES = 512;

function u32be(b: Uint8Array, o: number): number {
  return b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

function startsWith(b: Uint8Array, magic: string): boolean {
  if (b.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (b[i] !== magic.charCodeAt(i)) return false;
  return true;
}

/** Printable UTF-8 without NULs or stray control characters: a text file. */
function looksLikeText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  for (const c of b) {
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.length === SNIFF_BYTES ? trimPartialUtf8(b) : b);
    return true;
  } catch {
    return false;
  }
}

/** A sample cut at SNIFF_BYTES may end inside a multi-byte character; drop that tail. */
function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let end = b.length;
  for (let k = 0; k < 3 && end > 0 && (b[end - 1]! & 0xc0) === 0x80; k++) end--;
  if (end > 0 && b[end - 1]! >= 0xc0) end--;
  return b.subarray(0, end);
}

function hexBytes(b: Uint8Array): string {
  return Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Decides the format from the first bytes of a file of `size` bytes. `readAt` fetches more bytes
 * when a format needs a second look (the PE header's position is stored in the DOS header).
 */
export function detectFormat(
  head: Uint8Array,
  size: number,
  readAt: (offset: number, length: number) => Uint8Array,
): BinaryFormat {
  if (size === 0) throw new FormatError('empty file (0 bytes), not a binary', 0);
  if (startsWith(head, '\x7fELF')) return 'elf';
  if (head.length >= 4) {
    const be = u32be(head, 0);
    if (be === 0xfeedface || be === 0xfeedfacf || be === 0xcefaedfe || be === 0xcffaedfe) return 'macho';
    if (be === 0xcafebabf) return 'macho';
    if (be === 0xcafebabe) {
      // Java class files share this magic; there the next word holds the class file version
      // (45 and up), while a universal Mach-O file holds its slice count, which is small.
      if (head.length < 8)
        throw new FormatError(`truncated: ${size}-byte file with the universal Mach-O / Java class magic`, 4);
      const n = u32be(head, 4);
      if (n > 0 && n < 45) return 'macho';
      throw new FormatError(
        'Java class file, not a native binary: it runs on a JVM and cannot be loaded as a plugin',
        0,
      );
    }
  }
  if (startsWith(head, 'MZ')) {
    if (size < 0x40 || head.length < 0x40) {
      throw new FormatError(`truncated: a DOS/PE header needs 64 bytes but the file has ${size}`, size);
    }
    const peOff = head[0x3c]! | (head[0x3d]! << 8) | (head[0x3e]! << 16) | (head[0x3f]! * 0x1000000);
    if (peOff + 4 <= size) {
      const sig = readAt(peOff, 4);
      if (sig[0] === 0x50 && sig[1] === 0x45 && sig[2] === 0 && sig[3] === 0) return 'pe';
    }
    throw new FormatError(
      'DOS MZ executable without a PE header: a 16-bit DOS program, not a Windows DLL or executable',
      0x3c,
    );
  }
  if (startsWith(head, '!<arch>\n') || startsWith(head, '!<thin>\n')) {
    throw new FormatError(
      'ar archive (a static library, .a): static libraries cannot be loaded; link it into a shared library first (gcc -shared -o libplugin.so -Wl,--whole-archive lib.a -Wl,--no-whole-archive)',
      0,
    );
  }
  if (startsWith(head, '#!')) {
    const nl = head.indexOf(0x0a);
    const line = Buffer.from(head.subarray(2, nl < 0 ? Math.min(head.length, 80) : Math.min(nl, 80)))
      .toString('utf8')
      .trim();
    throw new FormatError(`script (#!${line}), not a compiled binary: it cannot be loaded as a plugin`, 0);
  }
  if (startsWith(head, '\0asm')) throw new FormatError('WebAssembly module, not a native binary', 0);
  if (startsWith(head, '\x1f\x8b')) throw new FormatError('gzip-compressed data: decompress it first', 0);
  if (startsWith(head, 'PK\x03\x04')) {
    throw new FormatError('Zip archive (.zip, .jar, .apk, .whl): extract the library from it first', 0);
  }
  if (startsWith(head, 'BC\xc0\xde'))
    throw new FormatError('LLVM bitcode, not a linked binary: compile and link it first', 0);
  if (looksLikeText(head)) throw new FormatError('text file, not a compiled binary', 0);
  throw new FormatError(`unknown format (first bytes ${hexBytes(head)}): not an ELF, Mach-O or PE binary`, 0);
}

/** Turns a failure to stat or open a path into the same kind of sentence. */
export function statForReading(path: string): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (err) {
    throw new FormatError(fsErrorSentence(err), null);
  }
  if (st.isDirectory()) throw new FormatError('a directory, not a binary file', null);
  if (!st.isFile()) throw new FormatError('not a regular file (a device, pipe or socket)', null);
  return st;
}

export function fsErrorSentence(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  if (code === 'ENOTDIR') return 'no such file (a part of the path is not a directory)';
  if (code === 'EISDIR') return 'a directory, not a binary file';
  if (code === 'ELOOP') return 'cannot be opened: too many levels of symbolic links';
  return `cannot be read (${code ?? (err instanceof Error ? err.message : String(err))})`;
}

export interface OpenedSource {
  src: FileSource;
  format: BinaryFormat;
}

/** Opens `path` and recognises its format; the caller closes `src`. */
export function openSource(path: string): OpenedSource {
  const st = statForReading(path);
  let src: FileSource;
  try {
    src = FileSource.open(path);
  } catch (err) {
    throw new FormatError(fsErrorSentence(err), null);
  }
  try {
    const head = src.read(0, Math.min(SNIFF_BYTES, st.size, src.size), 'file header');
    const format = detectFormat(head, src.size, (o, n) => src.read(o, n, 'PE signature'));
    return { src, format };
  } catch (err) {
    src.close();
    throw err;
  }
}
