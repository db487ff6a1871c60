/**
 * ELF reader: 32/64-bit, both byte orders. Reads the header, the section and program header tables,
 * and then only the sections it needs (.dynsym/.dynstr, GNU version tables, .dynamic, and .symtab
 * when asked), so a 100 MB library costs a few reads. Every offset, size and index from the file is
 * checked before use; anything wrong becomes a FormatError with the byte offset.
 */
import { FormatError, checkRange } from './errors.js';
import type { ByteSource } from './source.js';
import { StringTable } from './elf-strings.js';
import { readVerdef, readVerneed, type VersionName } from './elf-versions.js';
import { elfMachine, elfOsAbi, ELF_FILE_TYPE_WORDS } from './elf-names.js';
import type {
  BinaryFile,
  BinaryInfo,
  ReadOptions,
  SectionRef,
  SymbolBinding,
  SymbolKind,
  SymbolRecord,
  SymbolSource,
  SymbolVisibility,
} from './types.js';

const SHT_SYMTAB = 2;
const SHT_DYNAMIC = 6;
const SHT_NOBITS = 8;
const SHT_DYNSYM = 11;
const SHT_SYMTAB_SHNDX = 18;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const SHT_STRTAB = 3;

const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_HASH = 4;
const DT_STRTAB = 5;
const DT_SYMTAB = 6;
const DT_STRSZ = 10;
const DT_SYMENT = 11;
const DT_GNU_HASH = 0x6ffffef5;
const DT_VERSYM = 0x6ffffff0;
const DT_VERDEF = 0x6ffffffc;
const DT_VERDEFNUM = 0x6ffffffd;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const DT_FLAGS_1 = 0x6ffffffb;
const DF_1_PIE = 0x08000000;

const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_ABS = 0xfff1;
const SHN_COMMON = 0xfff2;
const SHN_XINDEX = 0xffff;

/** Sanity bounds: real files stay far below these; corrupt ones must not make us allocate gigabytes. */
const MAX_SECTIONS = 1 << 20;
const MAX_PROGRAM_HEADERS = 1 << 16;
const MAX_DYNAMIC_ENTRIES = 1 << 20;

const KINDS: SymbolKind[] = ['notype', 'object', 'func', 'other', 'other', 'common', 'tls'];
const VISIBILITIES: SymbolVisibility[] = ['default', 'internal', 'hidden', 'protected'];

function kindOf(type: number): SymbolKind {
  if (type === 10) return 'ifunc';
  return KINDS[type] ?? 'other';
}

function bindingOf(bind: number): SymbolBinding {
  if (bind === 0) return 'local';
  if (bind === 2) return 'weak';
  if (bind === 10) return 'unique';
  return 'global';
}

/** Byte-order aware field access over a Uint8Array. */
interface Fields {
  u16(b: Uint8Array, o: number): number;
  u32(b: Uint8Array, o: number): number;
  /** A 64-bit field as a number; throws when it is beyond 2^53 (no real offset or size is). */
  u64(b: Uint8Array, o: number, what: string, base: number): number;
}

function fieldsFor(little: boolean): Fields {
  const u32 = little
    ? (b: Uint8Array, o: number) =>
        ((b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) >>> 0) + b[o + 3]! * 0x1000000
    : (b: Uint8Array, o: number) => b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
  return {
    u16: little ? (b, o) => b[o]! | (b[o + 1]! << 8) : (b, o) => (b[o]! << 8) | b[o + 1]!,
    u32,
    u64(b, o, what, base) {
      const lo = u32(b, little ? o : o + 4);
      const hi = u32(b, little ? o + 4 : o);
      if (hi >= 0x200000) throw new FormatError(`corrupt ${what}: a 64-bit value is out of range`, base + o);
      return hi * 0x100000000 + lo;
    },
  };
}

interface ProgramHeaders {
  dynamic: { offset: number; size: number } | null;
  loads: { vaddr: number; offset: number; filesz: number }[];
}

interface RawSection {
  index: number;
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
  headerOffset: number;
}

interface ElfHeader {
  bits: 32 | 64;
  little: boolean;
  osAbiCode: number;
  type: number;
  machineCode: number;
  phoff: number;
  shoff: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

/** Parses the ELF identification and header; `head` holds at least the first 64 bytes when the file has them. */
export function parseElfHeader(head: Uint8Array, fileSize: number): ElfHeader {
  if (head.length < 16 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) {
    throw new FormatError('not an ELF file (no \\x7fELF magic)', 0);
  }
  const cls = head[4];
  if (cls !== 1 && cls !== 2) throw new FormatError(`corrupt ELF identification: class byte is ${cls}`, 4);
  const data = head[5];
  if (data !== 1 && data !== 2)
    throw new FormatError(`corrupt ELF identification: data encoding byte is ${data}`, 5);
  const bits = cls === 1 ? 32 : 64;
  const hsize = bits === 32 ? 52 : 64;
  if (head.length < hsize) {
    throw new FormatError(
      `truncated: the ${bits}-bit ELF header needs ${hsize} bytes but the file has ${fileSize}`,
      head.length,
    );
  }
  const f = fieldsFor(data === 1);
  const w = (o: number) => (bits === 32 ? f.u32(head, o) : f.u64(head, o, 'ELF header', 0));
  const h: ElfHeader = {
    bits,
    little: data === 1,
    osAbiCode: head[7]!,
    type: f.u16(head, 16),
    machineCode: f.u16(head, 18),
    phoff: w(bits === 32 ? 28 : 32),
    shoff: w(bits === 32 ? 32 : 40),
    phentsize: f.u16(head, bits === 32 ? 42 : 54),
    phnum: f.u16(head, bits === 32 ? 44 : 56),
    shentsize: f.u16(head, bits === 32 ? 46 : 58),
    shnum: f.u16(head, bits === 32 ? 48 : 60),
    shstrndx: f.u16(head, bits === 32 ? 50 : 62),
  };
  return h;
}

function fileTypeOf(type: number, pie: boolean): string {
  switch (type) {
    case 1:
      return 'object';
    case 2:
      return 'executable';
    case 3:
      return pie ? 'pie' : 'shared';
    case 4:
      return 'core';
    default:
      return 'unknown';
  }
}

/** "ELF 64-bit LSB shared library, x86-64" from a header alone (used for error sentences too). */
export function describeElf(h: ElfHeader, fileType?: string): string {
  const ft = fileType ?? fileTypeOf(h.type, false);
  const { machine } = elfMachine(h.machineCode, h.bits, h.little ? 'little' : 'big');
  return `ELF ${h.bits}-bit ${h.little ? 'LSB' : 'MSB'} ${ELF_FILE_TYPE_WORDS[ft] ?? ft}, ${machine}`;
}

class ElfReader {
  private readonly f: Fields;
  private readonly sections: RawSection[] = [];
  private sectionNames: (string | null)[] = [];
  /** Sections made from the dynamic segment: not real sections, so neither named nor listed. */
  private synthesized = false;

  constructor(
    private readonly src: ByteSource,
    private readonly h: ElfHeader,
  ) {
    this.f = fieldsFor(h.little);
  }

  private word(b: Uint8Array, o: number, what: string, base: number): number {
    return this.h.bits === 32 ? this.f.u32(b, o) : this.f.u64(b, o, what, base);
  }

  readSectionHeaders(): void {
    const { h, f } = this;
    if (h.shoff === 0) return;
    const entsize = h.bits === 32 ? 40 : 64;
    if (h.shentsize < entsize) {
      throw new FormatError(
        `corrupt ELF header: section header size is ${h.shentsize}, expected ${entsize}`,
        h.shoff,
      );
    }
    let shnum = h.shnum;
    let shstrndx = h.shstrndx;
    // Extended numbering: section 0 carries the real count and string table index.
    if (shnum === 0 || shstrndx === SHN_XINDEX) {
      const first = this.src.read(h.shoff, entsize, 'section header 0');
      if (shnum === 0) shnum = this.word(first, h.bits === 32 ? 20 : 32, 'section header 0', h.shoff);
      if (shstrndx === SHN_XINDEX) shstrndx = f.u32(first, h.bits === 32 ? 24 : 40);
    }
    if (shnum > MAX_SECTIONS) throw new FormatError(`corrupt ELF header: ${shnum} sections`, h.shoff);
    if (shnum === 0) return;
    const table = this.src.read(h.shoff, shnum * h.shentsize, 'section header table');
    for (let i = 0; i < shnum; i++) {
      const o = i * h.shentsize;
      const base = h.shoff;
      const s: RawSection =
        h.bits === 32
          ? {
              index: i,
              name: '',
              type: f.u32(table, o + 4),
              addr: f.u32(table, o + 12),
              offset: f.u32(table, o + 16),
              size: f.u32(table, o + 20),
              link: f.u32(table, o + 24),
              info: f.u32(table, o + 28),
              entsize: f.u32(table, o + 36),
              headerOffset: base + o,
            }
          : {
              index: i,
              name: '',
              type: f.u32(table, o + 4),
              addr: this.f.u64(table, o + 16, 'section header', base),
              offset: this.f.u64(table, o + 24, 'section header', base),
              size: this.f.u64(table, o + 32, 'section header', base),
              link: f.u32(table, o + 40),
              info: f.u32(table, o + 44),
              entsize: this.f.u64(table, o + 56, 'section header', base),
              headerOffset: base + o,
            };
      this.sections.push(s);
    }
    const strSec = shstrndx < shnum ? this.sections[shstrndx] : undefined;
    const names =
      strSec && strSec.type !== SHT_NOBITS && shstrndx !== 0
        ? new StringTable(
            this.sectionBytes(strSec, 'section name table'),
            'section name table',
            strSec.offset,
          )
        : null;
    this.sectionNames = new Array<string | null>(shnum);
    for (let i = 0; i < shnum; i++) {
      const s = this.sections[i]!;
      s.name = names ? names.get(f.u32(table, i * h.shentsize)) : '';
      this.sectionNames[i] = i === 0 ? null : s.name;
    }
  }

  private sectionBytes(s: RawSection, what: string): Uint8Array {
    if (s.type === SHT_NOBITS) return new Uint8Array(0);
    return this.src.read(s.offset, s.size, what);
  }

  private link(s: RawSection, what: string): RawSection {
    const l = this.sections[s.link];
    if (!l || s.link === 0) {
      throw new FormatError(
        `corrupt section ${s.name || s.index}: its ${what} link ${s.link} is not a section`,
        s.headerOffset,
      );
    }
    return l;
  }

  private strings(s: RawSection): StringTable {
    const what = s.name || `section ${s.index}`;
    return new StringTable(this.sectionBytes(s, what), what, s.offset);
  }

  sectionRefs(): SectionRef[] {
    if (this.synthesized) return [];
    return this.sections.map((s) => ({
      name: s.name,
      offset: s.type === SHT_NOBITS ? 0 : s.offset,
      size: s.size,
      addr: s.addr,
      hasBytes: s.type !== SHT_NOBITS,
    }));
  }

  readProgramHeaders(): ProgramHeaders {
    const { h, f } = this;
    const res: ProgramHeaders = { dynamic: null, loads: [] };
    if (h.phoff === 0 || h.phnum === 0) return res;
    const entsize = h.bits === 32 ? 32 : 56;
    if (h.phentsize < entsize) {
      throw new FormatError(
        `corrupt ELF header: program header size is ${h.phentsize}, expected ${entsize}`,
        h.phoff,
      );
    }
    if (h.phnum > MAX_PROGRAM_HEADERS)
      throw new FormatError(`corrupt ELF header: ${h.phnum} program headers`, h.phoff);
    const table = this.src.read(h.phoff, h.phnum * h.phentsize, 'program header table');
    for (let i = 0; i < h.phnum; i++) {
      const o = i * h.phentsize;
      const type = f.u32(table, o);
      if (type === PT_LOAD) {
        res.loads.push(
          h.bits === 32
            ? { vaddr: f.u32(table, o + 8), offset: f.u32(table, o + 4), filesz: f.u32(table, o + 16) }
            : {
                vaddr: f.u64(table, o + 16, 'program header', h.phoff),
                offset: f.u64(table, o + 8, 'program header', h.phoff),
                filesz: f.u64(table, o + 32, 'program header', h.phoff),
              },
        );
      }
      if (type === PT_DYNAMIC) {
        res.dynamic =
          h.bits === 32
            ? { offset: f.u32(table, o + 4), size: f.u32(table, o + 16) }
            : {
                offset: f.u64(table, o + 8, 'program header', h.phoff),
                size: f.u64(table, o + 32, 'program header', h.phoff),
              };
      }
    }
    return res;
  }

  hasSection(type: number): boolean {
    return this.sections.some((s) => s.type === type);
  }

  /**
   * A file without section headers (stripped with `sstrip` or `--strip-sections`) still has its
   * dynamic segment, which is all the loader uses: the tables it points to are described here as
   * sections, so the rest of the reader works unchanged. Symbols then have no section names.
   */
  sectionsFromDynamic(ph: ProgramHeaders): void {
    if (!ph.dynamic || ph.dynamic.size === 0) return;
    const { h, f } = this;
    const dynOff = ph.dynamic.offset;
    const bytes = this.src.read(dynOff, ph.dynamic.size, 'dynamic segment');
    const entsize = h.bits === 32 ? 8 : 16;
    const tags = new Map<number, number>();
    const n = Math.min(Math.floor(bytes.length / entsize), MAX_DYNAMIC_ENTRIES);
    for (let i = 0; i < n; i++) {
      const tag = this.word(bytes, i * entsize, 'dynamic segment', dynOff);
      if (tag === DT_NULL) break;
      const val = h.bits === 32 ? f.u32(bytes, i * entsize + 4) : this.dynVal(bytes, i * entsize + 8);
      if (!tags.has(tag)) tags.set(tag, val);
    }
    const toOffset = (addr: number, what: string): number => {
      for (const l of ph.loads) {
        if (addr >= l.vaddr && addr < l.vaddr + l.filesz) return l.offset + (addr - l.vaddr);
      }
      throw new FormatError(
        `corrupt dynamic segment: the ${what} address 0x${addr.toString(16)} is in no loaded segment`,
        dynOff,
      );
    };
    const strAddr = tags.get(DT_STRTAB);
    const symAddr = tags.get(DT_SYMTAB);
    if (strAddr === undefined || symAddr === undefined) return;
    const symEnt = tags.get(DT_SYMENT) ?? (h.bits === 32 ? 16 : 24);
    const strOff = toOffset(strAddr, 'string table');
    const symOff = toOffset(symAddr, 'symbol table');
    const count = this.dynamicSymbolCount(tags, toOffset, symOff, strOff, symEnt);
    const base = { name: '', addr: 0, info: 0, entsize: 0, headerOffset: dynOff };
    const add = (s: Pick<RawSection, 'type' | 'offset' | 'size' | 'link'> & Partial<RawSection>): number => {
      this.sections.push({ ...base, ...s, index: this.sections.length });
      return this.sections.length - 1;
    };
    if (this.sections.length === 0) add({ type: 0, offset: 0, size: 0, link: 0, entsize: 0 });
    const str = add({
      type: SHT_STRTAB,
      offset: strOff,
      size: tags.get(DT_STRSZ) ?? 0,
      link: 0,
      name: '.dynstr',
    });
    add({ type: SHT_DYNAMIC, offset: dynOff, size: ph.dynamic.size, link: str, name: '.dynamic' });
    add({
      type: SHT_DYNSYM,
      offset: symOff,
      size: count * symEnt,
      link: str,
      entsize: symEnt,
      name: '.dynsym',
    });
    const versym = tags.get(DT_VERSYM);
    if (versym !== undefined) {
      add({
        type: SHT_GNU_VERSYM,
        offset: toOffset(versym, 'version'),
        size: count * 2,
        link: 0,
        name: '.gnu.version',
      });
    }
    // Version chains carry no size of their own; they are read up to the end of the file at most.
    for (const [tag, num, type, name] of [
      [DT_VERDEF, DT_VERDEFNUM, SHT_GNU_VERDEF, '.gnu.version_d'],
      [DT_VERNEED, DT_VERNEEDNUM, SHT_GNU_VERNEED, '.gnu.version_r'],
    ] as const) {
      const addr = tags.get(tag);
      if (addr === undefined) continue;
      const off = toOffset(addr, name);
      add({
        type,
        offset: off,
        size: Math.min(this.src.size - off, 1 << 20),
        link: str,
        info: tags.get(num) ?? 0,
        name,
      });
    }
    this.synthesized = true;
  }

  /** The number of dynamic symbols: DT_HASH's chain count, or the highest index in DT_GNU_HASH. */
  private dynamicSymbolCount(
    tags: Map<number, number>,
    toOffset: (addr: number, what: string) => number,
    symOff: number,
    strOff: number,
    symEnt: number,
  ): number {
    const { f } = this;
    const hash = tags.get(DT_HASH);
    if (hash !== undefined) return f.u32(this.src.read(toOffset(hash, 'hash table') + 4, 4, 'hash table'), 0);
    const gnu = tags.get(DT_GNU_HASH);
    if (gnu !== undefined) {
      const off = toOffset(gnu, 'GNU hash table');
      const head = this.src.read(off, 16, 'GNU hash table');
      const nbuckets = f.u32(head, 0);
      const symoffset = f.u32(head, 4);
      const bloomWords = f.u32(head, 8) * (this.h.bits === 32 ? 1 : 2);
      const bucketsOff = off + 16 + bloomWords * 4;
      const buckets = this.src.read(bucketsOff, nbuckets * 4, 'GNU hash buckets');
      let last = 0;
      for (let b = 0; b < nbuckets; b++) last = Math.max(last, f.u32(buckets, b * 4));
      if (last < symoffset) return symoffset;
      // Walk the last chain to its end marker (low bit set).
      const chains = bucketsOff + nbuckets * 4;
      const limit = Math.floor((this.src.size - chains) / 4);
      for (let i = last; i - symoffset < limit; i++) {
        if (f.u32(this.src.read(chains + (i - symoffset) * 4, 4, 'GNU hash chain'), 0) & 1) return i + 1;
      }
      throw new FormatError('corrupt GNU hash table: a chain has no end', chains);
    }
    // No hash table: the symbol table usually ends where the string table begins.
    return strOff > symOff ? Math.floor((strOff - symOff) / symEnt) : 0;
  }

  /** DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH and the PIE flag from the .dynamic section. */
  readDynamic(): {
    needed: string[];
    soname: string | null;
    rpath: string[];
    runpath: string[];
    pie: boolean;
  } {
    const out = {
      needed: [] as string[],
      soname: null as string | null,
      rpath: [] as string[],
      runpath: [] as string[],
      pie: false,
    };
    const dyn = this.sections.find((s) => s.type === SHT_DYNAMIC);
    if (!dyn || dyn.size === 0) return out;
    const bytes = this.sectionBytes(dyn, '.dynamic');
    const strings = this.strings(this.link(dyn, 'string table'));
    const entsize = this.h.bits === 32 ? 8 : 16;
    const n = Math.min(Math.floor(bytes.length / entsize), MAX_DYNAMIC_ENTRIES);
    for (let i = 0; i < n; i++) {
      const o = i * entsize;
      const tag = this.word(bytes, o, '.dynamic', dyn.offset);
      if (tag === DT_NULL) break;
      // Tags with the high bit set (processor specific, e.g. 0x70000000+) are read as 32-bit values.
      const val = this.h.bits === 32 ? this.f.u32(bytes, o + 4) : this.dynVal(bytes, o + 8);
      if (tag === DT_NEEDED) out.needed.push(strings.get(val));
      else if (tag === DT_SONAME) out.soname = strings.get(val);
      else if (tag === DT_RPATH) out.rpath.push(...strings.get(val).split(':').filter(Boolean));
      else if (tag === DT_RUNPATH) out.runpath.push(...strings.get(val).split(':').filter(Boolean));
      else if (tag === DT_FLAGS_1) out.pie = (val & DF_1_PIE) !== 0;
    }
    return out;
  }

  /** A 64-bit d_val; values past 2^53 (addresses of some relocation tags) are clamped, we never use them. */
  private dynVal(b: Uint8Array, o: number): number {
    const lo = this.f.u32(b, this.h.little ? o : o + 4);
    const hi = this.f.u32(b, this.h.little ? o + 4 : o);
    return hi >= 0x200000 ? Number.MAX_SAFE_INTEGER : hi * 0x100000000 + lo;
  }

  readVersions(): { versym: Uint8Array | null; names: (VersionName | undefined)[] } {
    const names: (VersionName | undefined)[] = [];
    let versym: Uint8Array | null = null;
    for (const s of this.sections) {
      if (s.type === SHT_GNU_VERSYM) versym = this.sectionBytes(s, '.gnu.version');
      else if (s.type === SHT_GNU_VERDEF || s.type === SHT_GNU_VERNEED) {
        const bytes = this.sectionBytes(s, s.name || 'version section');
        const strings = this.strings(this.link(s, 'string table'));
        const read = s.type === SHT_GNU_VERDEF ? readVerdef : readVerneed;
        read(bytes, s.info, strings, this.f.u16, this.f.u32, s.offset, names);
      }
    }
    return { versym, names };
  }

  /** The .dynsym or .symtab table, undecoded: symbols are read by index when asked for. */
  symbolTable(type: number, source: SymbolSource): ElfSymbolTable | null {
    const tab = this.sections.find((s) => s.type === type);
    if (!tab || tab.size === 0) return null;
    const entsize = this.h.bits === 32 ? 16 : 24;
    if (tab.entsize !== 0 && tab.entsize !== entsize) {
      throw new FormatError(
        `corrupt ${tab.name}: symbol entry size is ${tab.entsize}, expected ${entsize}`,
        tab.headerOffset,
      );
    }
    const bytes = this.sectionBytes(tab, tab.name || 'symbol table');
    const strings = this.strings(this.link(tab, 'string table'));
    const versions = type === SHT_DYNSYM ? this.readVersions() : { versym: null, names: [] };
    const shndxSec = this.sections.find((s) => s.type === SHT_SYMTAB_SHNDX && s.link === tab.index);
    const xindex = shndxSec ? this.sectionBytes(shndxSec, '.symtab_shndx') : null;
    return new ElfSymbolTable(
      this.h,
      this.f,
      bytes,
      strings,
      versions.versym,
      versions.names,
      this.sectionNames,
      xindex,
      source,
    );
  }
}

/**
 * One ELF symbol table read in place: fields are decoded by index on demand, so a caller that only
 * prints (the `symbols` command) never builds a JS object per symbol.
 */
export class ElfSymbolTable {
  readonly count: number;
  private readonly is32: boolean;
  private readonly little: boolean;
  private readonly entsize: number;

  constructor(
    h: ElfHeader,
    private readonly f: Fields,
    readonly bytes: Uint8Array,
    readonly strings: StringTable,
    private readonly versym: Uint8Array | null,
    private readonly versionNames: (VersionName | undefined)[],
    private readonly sectionNames: (string | null)[],
    private readonly xindex: Uint8Array | null,
    readonly source: SymbolSource,
  ) {
    this.is32 = h.bits === 32;
    this.little = h.little;
    this.entsize = this.is32 ? 16 : 24;
    this.count = Math.floor(bytes.length / this.entsize);
  }

  /** Indices of the symbols `opts` selects: defined non-local ones, plus imports and locals on request. */
  select(opts: ReadOptions): Uint32Array {
    const { bytes, entsize, is32 } = this;
    const imports = opts.imports === true;
    const all = opts.all === true;
    const out = new Uint32Array(this.count);
    let n = 0;
    for (let i = 1; i < this.count; i++) {
      const o = i * entsize;
      if (!all && bytes[o + (is32 ? 12 : 4)]! >> 4 === 0) continue;
      if (!imports && this.f.u16(bytes, o + (is32 ? 14 : 6)) === SHN_UNDEF) continue;
      out[n++] = i;
    }
    return out.subarray(0, n);
  }

  nameOffset(i: number): number {
    return this.f.u32(this.bytes, i * this.entsize);
  }
  name(i: number): string {
    return this.strings.get(this.nameOffset(i));
  }
  info(i: number): number {
    return this.bytes[i * this.entsize + (this.is32 ? 12 : 4)]!;
  }
  kind(i: number): SymbolKind {
    return kindOf(this.info(i) & 0xf);
  }
  binding(i: number): SymbolBinding {
    return bindingOf(this.info(i) >> 4);
  }
  visibility(i: number): SymbolVisibility {
    return VISIBILITIES[this.bytes[i * this.entsize + (this.is32 ? 13 : 5)]! & 3]!;
  }
  shndx(i: number): number {
    return this.f.u16(this.bytes, i * this.entsize + (this.is32 ? 14 : 6));
  }
  section(i: number): string | null {
    const x = this.shndx(i);
    if (x === SHN_UNDEF) return null;
    if (x === SHN_ABS) return 'ABS';
    if (x === SHN_COMMON) return 'COMMON';
    if (x === SHN_XINDEX) {
      const xo = i * 4;
      return this.xindex && xo + 4 <= this.xindex.length
        ? (this.sectionNames[this.f.u32(this.xindex, xo)] ?? null)
        : null;
    }
    if (x >= SHN_LORESERVE) return null;
    return this.sectionNames[x] ?? null;
  }
  /** st_value as two 32-bit halves, exact for every 64-bit value. */
  valueHi(i: number): number {
    if (this.is32) return 0;
    return this.f.u32(this.bytes, i * this.entsize + (this.little ? 12 : 8));
  }
  valueLo(i: number): number {
    if (this.is32) return this.f.u32(this.bytes, i * this.entsize + 4);
    return this.f.u32(this.bytes, i * this.entsize + (this.little ? 8 : 12));
  }
  address(i: number): string {
    const hi = this.valueHi(i);
    const lo = this.valueLo(i);
    return hi === 0 ? '0x' + lo.toString(16) : '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
  }
  size(i: number): number {
    const o = i * this.entsize;
    if (this.is32) return this.f.u32(this.bytes, o + 8);
    const lo = this.f.u32(this.bytes, this.little ? o + 16 : o + 20);
    const hi = this.f.u32(this.bytes, this.little ? o + 20 : o + 16);
    return hi * 0x100000000 + lo;
  }
  /** The GNU version entry of symbol i: null for unversioned, local (0) and global (1) symbols. */
  version(i: number): { name: string; hidden: boolean; library: string | null } | null {
    const vs = this.versym;
    if (vs === null || 2 * i + 2 > vs.length) return null;
    const v = this.f.u16(vs, 2 * i);
    const idx = v & 0x7fff;
    if (idx <= 1) return null;
    const vn = this.versionNames[idx];
    if (!vn) return null;
    // The linker defines one absolute symbol per version node, named after it; binutils shows it
    // without a version (`ZLIB_1.2.2`, not `ZLIB_1.2.2@@ZLIB_1.2.2`), and so do we.
    if (this.shndx(i) === SHN_ABS && this.name(i) === vn.name) return null;
    return { name: vn.name, hidden: (v & 0x8000) !== 0, library: vn.library };
  }

  record(i: number): SymbolRecord {
    const shndx = this.shndx(i);
    const v = this.version(i);
    const rec: SymbolRecord = {
      name: this.name(i),
      demangled: null,
      version: v ? v.name : null,
      kind: this.kind(i),
      binding: this.binding(i),
      visibility: this.visibility(i),
      defined: shndx !== SHN_UNDEF,
      section: this.section(i),
      address: this.address(i),
      size: this.size(i),
      source: this.source,
      language: 'unknown',
      noise: false,
      abi: null,
      handler: null,
    };
    if (v) {
      // A defined symbol carrying another library's version (a copy-relocated variable in an
      // executable) is not this file's default version: binutils prints it with a single `@`.
      rec.versionHidden = v.hidden || v.library !== null;
      if (shndx === SHN_UNDEF && v.library !== null) rec.library = v.library;
    }
    return rec;
  }

  records(opts: ReadOptions, out: SymbolRecord[]): void {
    for (const i of this.select(opts)) out.push(this.record(i));
  }
}

export interface ElfTables {
  file: BinaryFile;
  dynsym: ElfSymbolTable | null;
  symtab: ElfSymbolTable | null;
}

/**
 * Reads the header, dynamic section and symbol tables without building symbol records; the
 * `symbols` command prints straight from these. `file.symbols` is left empty.
 */
export function readElfTables(src: ByteSource, path: string, opts: ReadOptions = {}): ElfTables {
  const head = src.read(0, Math.min(64, src.size), 'ELF header');
  const h = parseElfHeader(head, src.size);
  const r = new ElfReader(src, h);
  r.readSectionHeaders();
  const ph = r.readProgramHeaders();
  if (ph.dynamic) checkRange('dynamic segment', ph.dynamic.offset, ph.dynamic.size, src.size);
  if (!r.hasSection(SHT_DYNSYM) && !r.hasSection(SHT_DYNAMIC)) r.sectionsFromDynamic(ph);
  const dyn = r.readDynamic();
  const fileType = fileTypeOf(h.type, dyn.pie);
  const endian = h.little ? 'little' : 'big';
  const { machine, arch } = elfMachine(h.machineCode, h.bits, endian);
  const { osAbi, os } = elfOsAbi(h.osAbiCode);
  const dynsym = r.symbolTable(SHT_DYNSYM, 'dynsym');
  const symtab = opts.all ? r.symbolTable(SHT_SYMTAB, 'symtab') : null;
  const info: BinaryInfo = {
    path,
    format: 'elf',
    description: describeElf(h, fileType),
    bits: h.bits,
    machine,
    arch,
    endian,
    fileType,
    os,
    osAbi,
    soname: dyn.soname,
    needed: dyn.needed,
    rpath: dyn.rpath,
    runpath: dyn.runpath,
    slices: null,
    go: null,
    hasDynamicSymbols: dynsym !== null && dynsym.count > 1,
    loadable: { ok: false, reason: null },
  };
  return { file: { info, symbols: [], sections: r.sectionRefs() }, dynsym, symtab };
}

/** Reads an ELF file: header, dynamic section, and the symbols `opts` asks for. */
export function readElf(src: ByteSource, path: string, opts: ReadOptions = {}): BinaryFile {
  const t = readElfTables(src, path, opts);
  t.dynsym?.records(opts, t.file.symbols);
  t.symtab?.records(opts, t.file.symbols);
  return t.file;
}
