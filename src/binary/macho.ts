/**
 * Mach-O reader, modelled on Go's debug/macho: thin and universal (fat) files, 32- and 64-bit,
 * both byte orders. Exports come from the export trie (authoritative, what dyld uses) merged by
 * name with the LC_SYMTAB nlist table (which supplies section and kind); imports are the undefined
 * nlist entries with their two-level-namespace library. Every count, index and offset read from the
 * file is checked before use, and I/O goes through ByteSource in a handful of large reads (header,
 * load commands, symbol table, string table, trie).
 *
 * Conventions a caller relies on:
 * - `name` drops the one leading underscore the C compiler adds (`_add` -> `add`, `__Z1fv` -> `_Z1fv`).
 * - Section names are `segment,section` (`__TEXT,__text`, `__DATA,__go_buildinfo`), as llvm-objdump
 *   prints them; SectionRef offsets are absolute in the file, also inside a universal file.
 * - Addresses are virtual addresses (trie offsets are rebased on the __TEXT segment's address).
 * - Mach-O stores no symbol sizes: size is 0 (llvm-nm prints none either).
 * - `needed` lists every dylib load command in load order (LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB,
 *   LC_REEXPORT_DYLIB, LC_LAZY_LOAD_DYLIB, LC_LOAD_UPWARD_DYLIB): that order is what the library
 *   ordinals of imports and re-exports index.
 * - Universal slices are named as lipo names them (`x86_64`, `arm64`).
 */
import { FormatError } from './errors.js';
import {
  EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE,
  EXPORT_SYMBOL_FLAGS_KIND_MASK,
  EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL,
  EXPORT_SYMBOL_FLAGS_REEXPORT,
  EXPORT_SYMBOL_FLAGS_STATIC_RESOLVER,
  EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER,
  EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION,
  parseExportTrie,
  type ExportTrieEntry,
} from './macho-trie.js';
import type { ByteSource } from './source.js';
import type {
  BinaryFile,
  BinaryInfo,
  MachOSlice,
  ReadOptions,
  SectionRef,
  SymbolBinding,
  SymbolKind,
  SymbolRecord,
  SymbolSource,
} from './types.js';

export const FAT_MAGIC = 0xcafebabe;
export const FAT_MAGIC_64 = 0xcafebabf;
export const MH_MAGIC = 0xfeedface;
export const MH_CIGAM = 0xcefaedfe;
export const MH_MAGIC_64 = 0xfeedfacf;
export const MH_CIGAM_64 = 0xcffaedfe;

const CPU_ARCH_ABI64 = 0x01000000;
const CPU_ARCH_ABI64_32 = 0x02000000;
export const CPU_TYPE_X86 = 7;
export const CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
export const CPU_TYPE_ARM = 12;
export const CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
export const CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
export const CPU_TYPE_POWERPC = 18;
export const CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;

const MH_TWOLEVEL = 0x80;

export const LC_SEGMENT = 0x1;
export const LC_SYMTAB = 0x2;
export const LC_DYSYMTAB = 0xb;
export const LC_LOAD_DYLIB = 0xc;
export const LC_ID_DYLIB = 0xd;
export const LC_SEGMENT_64 = 0x19;
export const LC_LOAD_WEAK_DYLIB = 0x80000018;
export const LC_RPATH = 0x8000001c;
export const LC_REEXPORT_DYLIB = 0x8000001f;
export const LC_LAZY_LOAD_DYLIB = 0x20;
export const LC_DYLD_INFO = 0x22;
export const LC_DYLD_INFO_ONLY = 0x80000022;
export const LC_LOAD_UPWARD_DYLIB = 0x80000023;
export const LC_DYLD_EXPORTS_TRIE = 0x80000033;

const DYLIB_LOAD_COMMANDS = new Set([
  LC_LOAD_DYLIB,
  LC_LOAD_WEAK_DYLIB,
  LC_REEXPORT_DYLIB,
  LC_LAZY_LOAD_DYLIB,
  LC_LOAD_UPWARD_DYLIB,
]);

// nlist n_type bits.
const N_STAB = 0xe0;
const N_PEXT = 0x10;
const N_TYPE = 0x0e;
const N_EXT = 0x01;
const N_UNDF = 0x0;
const N_ABS = 0x2;
const N_SECT = 0xe;
const N_INDR = 0xa;
// nlist n_desc bits.
const N_WEAK_REF = 0x40;
const N_WEAK_DEF = 0x80;
const SELF_LIBRARY_ORDINAL = 0;
const DYNAMIC_LOOKUP_ORDINAL = 0xfe;
const EXECUTABLE_ORDINAL = 0xff;

// Section flags.
const SECTION_TYPE = 0xff;
const S_ZEROFILL = 0x1;
const S_GB_ZEROFILL = 0xc;
const S_THREAD_LOCAL_REGULAR = 0x11;
const S_THREAD_LOCAL_ZEROFILL = 0x12;
const S_THREAD_LOCAL_VARIABLES = 0x13;
const S_ATTR_PURE_INSTRUCTIONS = 0x80000000;
const S_ATTR_SOME_INSTRUCTIONS = 0x400;

/** Java class files share FAT_MAGIC; their version field is >= 45, real fat files have a few slices. */
const MAX_FAT_ARCHS = 30;

const FILE_TYPES: Record<number, [string, string]> = {
  1: ['object', 'object file'],
  2: ['executable', 'executable'],
  3: ['fvmlib', 'fixed VM shared library'],
  4: ['core', 'core file'],
  5: ['preload', 'preloaded executable'],
  6: ['dylib', 'dynamic library'],
  7: ['dylinker', 'dynamic linker'],
  8: ['bundle', 'bundle'],
  9: ['dylib-stub', 'dynamic library stub'],
  10: ['dsym', 'dSYM companion file'],
  11: ['kext', 'kernel extension'],
  12: ['fileset', 'file set'],
};

/** lipo's name for a CPU type and subtype. */
export function machOArchName(cputype: number, cpusubtype: number): string {
  const sub = cpusubtype & 0x00ffffff;
  switch (cputype) {
    case CPU_TYPE_X86_64:
      return sub === 8 ? 'x86_64h' : 'x86_64';
    case CPU_TYPE_X86:
      return 'i386';
    case CPU_TYPE_ARM64:
      return sub === 2 ? 'arm64e' : 'arm64';
    case CPU_TYPE_ARM64_32:
      return 'arm64_32';
    case CPU_TYPE_ARM:
      return ({
        6: 'armv6',
        9: 'armv7',
        11: 'armv7s',
        12: 'armv7k',
        14: 'armv6m',
        15: 'armv7m',
        16: 'armv7em',
      }[sub] ?? 'arm') as string;
    case CPU_TYPE_POWERPC:
      return 'ppc';
    case CPU_TYPE_POWERPC64:
      return 'ppc64';
    default:
      return `cputype-${cputype >>> 0}`;
  }
}

function nodeArch(cputype: number): string {
  switch (cputype) {
    case CPU_TYPE_X86_64:
      return 'x64';
    case CPU_TYPE_X86:
      return 'ia32';
    case CPU_TYPE_ARM64:
      return 'arm64';
    case CPU_TYPE_ARM:
      return 'arm';
    case CPU_TYPE_POWERPC:
      return 'ppc';
    case CPU_TYPE_POWERPC64:
      return 'ppc64';
    default:
      return 'unknown';
  }
}

const NODE_TO_CPUTYPE: Record<string, number> = {
  x64: CPU_TYPE_X86_64,
  ia32: CPU_TYPE_X86,
  arm64: CPU_TYPE_ARM64,
  arm: CPU_TYPE_ARM,
  ppc: CPU_TYPE_POWERPC,
  ppc64: CPU_TYPE_POWERPC64,
};

/** A slice of a universal file seen as a file of its own; errors report offsets in the whole file. */
class SliceSource implements ByteSource {
  constructor(
    private readonly src: ByteSource,
    private readonly base: number,
    readonly size: number,
    private readonly arch: string,
  ) {}
  read(offset: number, length: number, what = 'data'): Uint8Array {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new FormatError(`truncated or corrupt: ${what} has an invalid offset or length`, this.base);
    }
    if (offset + length > this.size) {
      throw new FormatError(
        `truncated or corrupt: ${what} at byte ${this.base + offset} (length ${length}) lies outside the ` +
          `${this.arch} slice (bytes ${this.base} to ${this.base + this.size})`,
        this.base + offset,
      );
    }
    return this.src.read(this.base + offset, length, what);
  }
}

interface FatArch {
  cputype: number;
  cpusubtype: number;
  offset: number;
  size: number;
  arch: string;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function readFatArchs(src: ByteSource): FatArch[] {
  const head = view(src.read(0, 8, 'universal header'));
  const magic = head.getUint32(0, false);
  const n = head.getUint32(4, false);
  if (n === 0 || n > MAX_FAT_ARCHS) {
    throw new FormatError(
      n > MAX_FAT_ARCHS
        ? 'not a Mach-O universal file (probably a Java class file): its header claims ' + n + ' slices'
        : 'corrupt Mach-O universal file: it has no slices',
      4,
    );
  }
  const is64 = magic === FAT_MAGIC_64;
  const entrySize = is64 ? 32 : 20;
  const table = view(src.read(8, n * entrySize, 'universal slice table'));
  const archs: FatArch[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * entrySize;
    const cputype = table.getInt32(o, false);
    const cpusubtype = table.getInt32(o + 4, false);
    const offset = is64 ? Number(table.getBigUint64(o + 8, false)) : table.getUint32(o + 8, false);
    const size = is64 ? Number(table.getBigUint64(o + 16, false)) : table.getUint32(o + 12, false);
    const arch = machOArchName(cputype, cpusubtype);
    if (!Number.isSafeInteger(offset + size) || offset + size > src.size || size === 0) {
      throw new FormatError(
        `truncated or corrupt Mach-O universal file: the ${arch} slice (byte ${offset}, ${size} bytes) ` +
          `lies outside the ${src.size}-byte file`,
        8 + o,
      );
    }
    archs.push({ cputype, cpusubtype, offset, size, arch });
  }
  return archs;
}

/** Reads a Mach-O file; universal files read the slice for this machine (else the first). */
export function readMachO(src: ByteSource, path: string, opts: ReadOptions): BinaryFile {
  if (src.size < 8) throw new FormatError(`truncated Mach-O file: only ${src.size} bytes`, 0);
  const magic = view(src.read(0, 4, 'magic')).getUint32(0, false);
  if (magic !== FAT_MAGIC && magic !== FAT_MAGIC_64) return readImage(src, 0, path, opts, null);

  const archs = readFatArchs(src);
  const want = NODE_TO_CPUTYPE[process.arch];
  const chosen = archs.find((a) => a.cputype === want) ?? archs[0]!;
  const slices: MachOSlice[] = archs.map((a) => ({
    arch: a.arch,
    offset: a.offset,
    size: a.size,
    selected: a === chosen,
  }));
  const slice = new SliceSource(src, chosen.offset, chosen.size, chosen.arch);
  const file = readImage(slice, chosen.offset, path, opts, slices);
  if (file.info.machine !== chosen.arch) {
    throw new FormatError(
      `corrupt Mach-O universal file: the slice table says ${chosen.arch} but the slice holds ${file.info.machine}`,
      chosen.offset,
    );
  }
  file.info.description =
    `Mach-O universal binary (${archs.map((a) => a.arch).join(', ')}), ${chosen.arch} slice: ` +
    file.info.description;
  return file;
}

interface Section {
  /** `segment,section` */
  name: string;
  addr: bigint;
  size: bigint;
  offset: number;
  flags: number;
}

interface Nlist {
  name: string;
  type: number;
  sect: number;
  desc: number;
  value: bigint;
  /** Set when the export trie has the same name, so the nlist entry is not listed twice. */
  inTrie: boolean;
}

/** mach_header / mach_header_64, with the byte order and width its magic implies. */
interface MachHeader {
  le: boolean;
  is64: boolean;
  cputype: number;
  cpusubtype: number;
  filetype: number;
  ncmds: number;
  sizeofcmds: number;
  flags: number;
}

function hex(v: bigint): string {
  return '0x' + v.toString(16);
}

function readHeader(src: ByteSource): MachHeader {
  const m = view(src.read(0, 4, 'Mach-O magic')).getUint32(0, true);
  let le: boolean;
  let is64: boolean;
  if (m === MH_MAGIC) [le, is64] = [true, false];
  else if (m === MH_MAGIC_64) [le, is64] = [true, true];
  else if (m === MH_CIGAM) [le, is64] = [false, false];
  else if (m === MH_CIGAM_64) [le, is64] = [false, true];
  else throw new FormatError('not a Mach-O file: unknown magic number', 0);
  const h = view(src.read(0, is64 ? 32 : 28, 'Mach-O header'));
  return {
    le,
    is64,
    cputype: h.getInt32(4, le),
    cpusubtype: h.getInt32(8, le),
    filetype: h.getUint32(12, le),
    ncmds: h.getUint32(16, le),
    sizeofcmds: h.getUint32(20, le),
    flags: h.getUint32(24, le),
  };
}

/** NUL-terminated string inside a load command; `at` is relative to the command. */
function lcString(cmd: Uint8Array, at: number, what: string, fileOffset: number): string {
  if (at < 8 || at >= cmd.length) {
    throw new FormatError(`corrupt Mach-O ${what}: string offset ${at} outside its load command`, fileOffset);
  }
  let end = cmd.indexOf(0, at);
  if (end < 0) end = cmd.length;
  return Buffer.from(cmd.buffer, cmd.byteOffset + at, end - at).toString('utf8');
}

function fixedName(b: Uint8Array, at: number): string {
  let end = at;
  while (end < at + 16 && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + at, end - at).toString('latin1');
}

function sectionKind(s: Section | undefined): SymbolKind {
  if (s === undefined) return 'object';
  const type = s.flags & SECTION_TYPE;
  if (
    type === S_THREAD_LOCAL_REGULAR ||
    type === S_THREAD_LOCAL_ZEROFILL ||
    type === S_THREAD_LOCAL_VARIABLES
  ) {
    return 'tls';
  }
  if ((s.flags & (S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS)) !== 0) return 'func';
  return 'object';
}

/**
 * Every record is built from one object literal: V8 builds `{ ...defaults(), name, ... }` objects
 * some thirty times slower, which showed on a 100,000-export dylib.
 */
function newSymbol(
  name: string,
  source: SymbolSource,
  kind: SymbolKind,
  binding: SymbolBinding,
  defined: boolean,
  section: string | null,
  address: string,
): SymbolRecord {
  return {
    name,
    demangled: null,
    version: null,
    kind,
    binding,
    visibility: 'default',
    defined,
    section,
    address,
    size: 0,
    source,
    language: 'unknown',
    noise: false,
    abi: null,
    handler: null,
  };
}

function stripUnderscore(raw: string): string {
  return raw.startsWith('_') ? raw.slice(1) : raw;
}

function readImage(
  src: ByteSource,
  base: number,
  path: string,
  opts: ReadOptions,
  slices: MachOSlice[] | null,
): BinaryFile {
  const hdr = readHeader(src);
  const { le, is64 } = hdr;
  const headerSize = is64 ? 32 : 28;
  const { ncmds, sizeofcmds } = hdr;
  if (ncmds > sizeofcmds / 8) {
    throw new FormatError(
      `corrupt Mach-O header: ${ncmds} load commands cannot fit in ${sizeofcmds} bytes`,
      base + 16,
    );
  }
  const cmds = src.read(headerSize, sizeofcmds, 'Mach-O load commands');
  const cv = view(cmds);

  const sections: Section[] = [];
  let textBase: bigint | null = null;
  let firstSegmentBase: bigint | null = null;
  let symtab: { symoff: number; nsyms: number; stroff: number; strsize: number; at: number } | null = null;
  let dysymtabDefs = 0;
  let trieRange: { off: number; size: number; at: number } | null = null;
  let soname: string | null = null;
  const dylibs: string[] = [];
  const rpath: string[] = [];

  let p = 0;
  for (let i = 0; i < ncmds; i++) {
    const at = base + headerSize + p;
    if (p + 8 > sizeofcmds) {
      throw new FormatError(`truncated Mach-O load command ${i} at byte ${at}`, at);
    }
    const cmd = cv.getUint32(p, le);
    const cmdsize = cv.getUint32(p + 4, le);
    if (cmdsize < 8 || p + cmdsize > sizeofcmds) {
      throw new FormatError(`corrupt Mach-O load command ${i} at byte ${at}: size ${cmdsize} is invalid`, at);
    }
    const c = cmds.subarray(p, p + cmdsize);
    const v = view(c);
    const need = (n: number, what: string): void => {
      if (cmdsize < n) {
        throw new FormatError(`corrupt Mach-O ${what} at byte ${at}: ${cmdsize} bytes, needs ${n}`, at);
      }
    };
    switch (cmd) {
      case LC_SEGMENT:
      case LC_SEGMENT_64: {
        const s64 = cmd === LC_SEGMENT_64;
        const segHdr = s64 ? 72 : 56;
        const sectSize = s64 ? 80 : 68;
        need(segHdr, 'segment command');
        const segname = fixedName(c, 8);
        const vmaddr = s64 ? v.getBigUint64(24, le) : BigInt(v.getUint32(24, le));
        const fileoff = s64 ? v.getBigUint64(40, le) : BigInt(v.getUint32(32, le));
        const filesize = s64 ? v.getBigUint64(48, le) : BigInt(v.getUint32(36, le));
        const nsects = v.getUint32(s64 ? 64 : 48, le);
        need(segHdr + nsects * sectSize, `segment ${segname} with ${nsects} sections`);
        if (segname === '__TEXT') textBase = vmaddr;
        if (firstSegmentBase === null && fileoff === 0n && filesize !== 0n) firstSegmentBase = vmaddr;
        for (let k = 0; k < nsects; k++) {
          const o = segHdr + k * sectSize;
          sections.push({
            name: `${fixedName(c, o + 16)},${fixedName(c, o)}`,
            addr: s64 ? v.getBigUint64(o + 32, le) : BigInt(v.getUint32(o + 32, le)),
            size: s64 ? v.getBigUint64(o + 40, le) : BigInt(v.getUint32(o + 36, le)),
            offset: v.getUint32(o + (s64 ? 48 : 40), le),
            flags: v.getUint32(o + (s64 ? 64 : 56), le),
          });
        }
        break;
      }
      case LC_SYMTAB:
        need(24, 'LC_SYMTAB');
        symtab = {
          symoff: v.getUint32(8, le),
          nsyms: v.getUint32(12, le),
          stroff: v.getUint32(16, le),
          strsize: v.getUint32(20, le),
          at,
        };
        break;
      case LC_DYSYMTAB:
        need(80, 'LC_DYSYMTAB');
        dysymtabDefs = v.getUint32(20, le) + v.getUint32(28, le);
        break;
      case LC_ID_DYLIB:
        need(24, 'LC_ID_DYLIB');
        soname = lcString(c, v.getUint32(8, le), 'LC_ID_DYLIB', at);
        break;
      case LC_RPATH:
        need(12, 'LC_RPATH');
        rpath.push(lcString(c, v.getUint32(8, le), 'LC_RPATH', at));
        break;
      case LC_DYLD_INFO:
      case LC_DYLD_INFO_ONLY:
        need(48, 'LC_DYLD_INFO');
        if (v.getUint32(44, le) > 0) trieRange = { off: v.getUint32(40, le), size: v.getUint32(44, le), at };
        break;
      case LC_DYLD_EXPORTS_TRIE:
        need(16, 'LC_DYLD_EXPORTS_TRIE');
        if (v.getUint32(12, le) > 0) trieRange = { off: v.getUint32(8, le), size: v.getUint32(12, le), at };
        break;
      default:
        if (DYLIB_LOAD_COMMANDS.has(cmd)) {
          need(24, 'dylib load command');
          dylibs.push(lcString(c, v.getUint32(8, le), 'dylib load command', at));
        }
    }
    p += cmdsize;
  }
  const imageBase = textBase ?? firstSegmentBase ?? 0n;

  const sectionAt = (addr: bigint): Section | undefined =>
    sections.find((s) => addr >= s.addr && addr < s.addr + s.size);
  const libraryName = (ordinal: number, at: number): string => {
    const lib = dylibs[ordinal - 1];
    if (lib === undefined) {
      throw new FormatError(
        `corrupt Mach-O file: library ordinal ${ordinal} but only ${dylibs.length} libraries are loaded`,
        at,
      );
    }
    return lib;
  };

  // The nlist table.
  const nlists: Nlist[] = [];
  if (symtab !== null && symtab.nsyms > 0) {
    const entSize = is64 ? 16 : 12;
    const syms = view(src.read(symtab.symoff, symtab.nsyms * entSize, 'Mach-O symbol table'));
    const strRaw = src.read(symtab.stroff, symtab.strsize, 'Mach-O string table');
    const strs = Buffer.from(strRaw.buffer, strRaw.byteOffset, strRaw.byteLength);
    // Entries may share or overlap strings; a crafted table pointing thousands of entries into one
    // long string would otherwise build gigabytes of names from a small file.
    let budget = 8 * src.size + (1 << 20);
    const strAt = (strx: number, i: number): string => {
      if (strx >= strs.length) {
        if (strx === 0) return '';
        throw new FormatError(
          `corrupt Mach-O symbol ${i}: name offset ${strx} outside the ${strs.length}-byte string table`,
          base + symtab!.symoff + i * entSize,
        );
      }
      let end = strs.indexOf(0, strx);
      if (end < 0) end = strs.length;
      budget -= end - strx;
      if (budget < 0) {
        throw new FormatError(
          'corrupt Mach-O symbol table: its names add up to more bytes than the file could hold',
          base + symtab!.stroff,
        );
      }
      return strs.toString('utf8', strx, end);
    };
    for (let i = 0; i < symtab.nsyms; i++) {
      const o = i * entSize;
      const type = syms.getUint8(o + 4);
      const ext = (type & N_EXT) !== 0 && (type & N_STAB) === 0;
      // Local and debugging entries are only decoded when asked for: big binaries have many.
      if (!ext && !opts.all) continue;
      const value = is64 ? syms.getBigUint64(o + 8, le) : BigInt(syms.getUint32(o + 8, le));
      nlists.push({
        name: strAt(syms.getUint32(o, le), i),
        type,
        sect: syms.getUint8(o + 5),
        desc: syms.getUint16(o + 6, le),
        value,
        inTrie: false,
      });
    }
  }

  const nlistSection = (n: Nlist): Section | undefined => (n.sect === 0 ? undefined : sections[n.sect - 1]);
  const isDefinedExternal = (n: Nlist): boolean => {
    if ((n.type & N_STAB) !== 0 || (n.type & N_EXT) === 0) return false;
    const t = n.type & N_TYPE;
    return t === N_SECT || t === N_ABS || t === N_INDR || (t === N_UNDF && n.value !== 0n);
  };

  // N_INDR's value is a string-table index of the symbol it stands for.
  let strAtValue = (_n: Nlist): string => '';
  if (symtab !== null && symtab.strsize > 0) {
    const { stroff, strsize } = symtab;
    strAtValue = (n) => {
      const strx = Number(n.value);
      if (strx >= strsize) return '';
      const tail = src.read(stroff + strx, Math.min(strsize - strx, 4096), 'indirect symbol name');
      let end = tail.indexOf(0);
      if (end < 0) end = tail.length;
      return Buffer.from(tail.buffer, tail.byteOffset, end).toString('utf8');
    };
  }

  const fromNlist = (n: Nlist, binding: SymbolRecord['binding']): SymbolRecord => {
    const t = n.type & N_TYPE;
    const sec = nlistSection(n);
    let kind: SymbolKind;
    let section: string | null = null;
    let address = hex(n.value);
    let size = 0;
    let forwarder: string | null | undefined;
    let defined = true;
    if ((n.type & N_STAB) !== 0) {
      kind = 'other';
      section = sec?.name ?? null;
    } else if (t === N_SECT) {
      kind = sectionKind(sec);
      section = sec?.name ?? null;
    } else if (t === N_ABS) {
      kind = 'notype';
    } else if (t === N_INDR) {
      kind = 'other';
      address = '0x0';
      forwarder = n.value <= 0xffffffffn ? stripUnderscore(strAtValue(n)) : null;
    } else if (t === N_UNDF && n.value !== 0n) {
      kind = 'common';
      size = Number(n.value);
      address = '0x0';
    } else {
      kind = 'notype';
      defined = false;
    }
    if ((n.desc & N_WEAK_DEF) !== 0 && defined && binding === 'global') binding = 'weak';
    const rec = newSymbol(stripUnderscore(n.name), 'nlist', kind, binding, defined, section, address);
    rec.size = size;
    if ((n.type & N_PEXT) !== 0) rec.visibility = 'hidden';
    if (forwarder !== undefined) rec.forwarder = forwarder;
    return rec;
  };
  const symbols: SymbolRecord[] = [];
  const nlistDefs = new Map<string, Nlist>();
  for (const n of nlists) if (isDefinedExternal(n) && !nlistDefs.has(n.name)) nlistDefs.set(n.name, n);

  let trie: ExportTrieEntry[] = [];
  if (trieRange !== null) {
    const data = src.read(trieRange.off, trieRange.size, 'Mach-O export trie');
    trie = parseExportTrie(data, base + trieRange.off);
  }
  // Each name has one path in a trie, so no set is needed to merge (a corrupt trie that spells a
  // name twice just lists it twice).
  for (const e of trie) {
    const n = nlistDefs.get(e.name);
    if (n !== undefined) n.inTrie = true;
    const kindBits = e.flags & EXPORT_SYMBOL_FLAGS_KIND_MASK;
    const weak = (e.flags & EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION) !== 0;
    const binding = weak || (n !== undefined && (n.desc & N_WEAK_DEF) !== 0) ? 'weak' : 'global';
    const rec = newSymbol(stripUnderscore(e.name), 'trie', 'object', binding, true, null, '0x0');
    if (e.flags & EXPORT_SYMBOL_FLAGS_REEXPORT) {
      const lib = libraryName(e.ordinal ?? 0, trieRange!.at);
      rec.kind = 'other';
      rec.library = lib;
      rec.forwarder = `${lib}:${e.importName ? e.importName : e.name}`;
    } else if (kindBits === EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE) {
      rec.kind = 'notype';
      rec.address = hex(BigInt(e.address));
    } else {
      const addr = imageBase + BigInt(e.address);
      const sec = (n !== undefined ? nlistSection(n) : undefined) ?? sectionAt(addr);
      rec.address = hex(addr);
      rec.section = sec?.name ?? null;
      if (kindBits === EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL) rec.kind = 'tls';
      else if (e.flags & (EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER | EXPORT_SYMBOL_FLAGS_STATIC_RESOLVER)) {
        rec.kind = 'ifunc';
      } else rec.kind = sectionKind(sec);
    }
    symbols.push(rec);
  }
  for (const n of nlistDefs.values()) if (!n.inTrie) symbols.push(fromNlist(n, 'global'));

  if (opts.imports) {
    const twoLevel = (hdr.flags & MH_TWOLEVEL) !== 0;
    for (const n of nlists) {
      if ((n.type & N_STAB) !== 0 || (n.type & N_EXT) === 0) continue;
      if ((n.type & N_TYPE) !== N_UNDF || n.value !== 0n) continue;
      const rec = fromNlist(n, (n.desc & N_WEAK_REF) !== 0 ? 'weak' : 'global');
      rec.library = null;
      if (twoLevel) {
        const ord = (n.desc >> 8) & 0xff;
        if (ord !== SELF_LIBRARY_ORDINAL && ord !== DYNAMIC_LOOKUP_ORDINAL && ord !== EXECUTABLE_ORDINAL) {
          rec.library = libraryName(ord, symtab!.at);
        }
      }
      symbols.push(rec);
    }
  }
  if (opts.all) {
    for (const n of nlists) {
      if ((n.type & N_EXT) !== 0 && (n.type & N_STAB) === 0) continue;
      symbols.push(fromNlist(n, 'local'));
    }
  }

  const fileTypeInfo = FILE_TYPES[hdr.filetype] ?? [`type-${hdr.filetype}`, `file of type ${hdr.filetype}`];
  const machine = machOArchName(hdr.cputype, hdr.cpusubtype);
  const sectionRefs: SectionRef[] = sections.map((s) => {
    const type = s.flags & SECTION_TYPE;
    const zeroFill = type === S_ZEROFILL || type === S_GB_ZEROFILL || type === S_THREAD_LOCAL_ZEROFILL;
    const hasBytes = !zeroFill && s.offset !== 0;
    return {
      name: s.name,
      offset: hasBytes ? base + s.offset : 0,
      size: Number(s.size),
      addr: Number(s.addr),
      hasBytes,
    };
  });
  const info: BinaryInfo = {
    path,
    format: 'macho',
    description: `Mach-O ${is64 ? 64 : 32}-bit ${machine} ${fileTypeInfo[1]}`,
    bits: is64 ? 64 : 32,
    machine,
    arch: nodeArch(hdr.cputype),
    endian: le ? 'little' : 'big',
    fileType: fileTypeInfo[0],
    os: 'darwin',
    osAbi: null,
    soname,
    needed: dylibs,
    rpath,
    runpath: [],
    slices,
    go: null,
    hasDynamicSymbols: hdr.filetype !== 1 && (trie.length > 0 || dysymtabDefs > 0),
    loadable: { ok: true, reason: null },
  };
  return { info, symbols, sections: sectionRefs };
}
