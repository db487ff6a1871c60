/**
 * PE/COFF image reader (PE32 and PE32+), modelled on Go's debug/pe: DOS stub, COFF file header,
 * optional header and data directories, section table, then the export directory and the import
 * and delay-load import directories. Every RVA is mapped through the section table and every count
 * is checked against the bytes that hold it; I/O goes through ByteSource in cached 64 KiB pages,
 * so a big DLL is read only where its tables are.
 *
 * Conventions a caller relies on (they match `llvm-readobj --coff-exports` / `--coff-imports`):
 * - `address` is the RVA (relative to the image base), as llvm-readobj prints it.
 * - Every export carries its biased `ordinal`. An export with no name (NONAME, ordinal only) is
 *   named `#<ordinal>`, the spelling GetProcAddress and .def files use. Unused slots in the export
 *   address table (RVA 0) are not exports and are left out, though llvm-readobj lists them.
 * - Forwarders (RVA inside the export directory) have `forwarder` (`KERNEL32.Sleep`), kind 'other',
 *   and the RVA of the forwarder string as their address. Other exports are 'func' when their
 *   section is executable, else 'object' (DATA exports).
 * - Imports (opts.imports) come from the import directory and then the delay-load directory, in
 *   file order, with `library` set; imports by ordinal are named `#<ordinal>`. Their kind is
 *   'notype': the import tables do not say whether a name is code or data.
 * - `soname` is the export directory's DLL name; `needed` lists imported then delay-loaded DLLs.
 * - SectionRef addresses are virtual addresses (image base + RVA); sizes count the section's bytes
 *   in the file without the file-alignment padding, as llvm-objdump -h does.
 */
import { FormatError } from './errors.js';
import type { ByteSource } from './source.js';
import type { BinaryFile, BinaryInfo, ReadOptions, SectionRef, SymbolRecord } from './types.js';

export const IMAGE_FILE_MACHINE_I386 = 0x14c;
export const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
export const IMAGE_FILE_MACHINE_ARM64 = 0xaa64;
export const IMAGE_FILE_MACHINE_ARMNT = 0x1c4;

const MACHINES: Record<number, [name: string, words: string, arch: string]> = {
  0x14c: ['I386', 'Intel 386', 'ia32'],
  0x8664: ['AMD64', 'x86-64', 'x64'],
  0xaa64: ['ARM64', 'ARM64', 'arm64'],
  0xa641: ['ARM64EC', 'ARM64EC', 'arm64'],
  0xa64e: ['ARM64X', 'ARM64X', 'arm64'],
  0x1c4: ['ARMNT', 'ARM Thumb-2', 'arm'],
  0x1c0: ['ARM', 'ARM', 'arm'],
  0x1c2: ['THUMB', 'ARM Thumb', 'arm'],
  0x200: ['IA64', 'Itanium', 'unknown'],
  0x5064: ['RISCV64', 'RISC-V 64-bit', 'riscv64'],
  0x5032: ['RISCV32', 'RISC-V 32-bit', 'unknown'],
  0x6264: ['LOONGARCH64', 'LoongArch 64-bit', 'loong64'],
};

const IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
const IMAGE_FILE_DLL = 0x2000;
const IMAGE_NT_OPTIONAL_HDR32_MAGIC = 0x10b;
const IMAGE_NT_OPTIONAL_HDR64_MAGIC = 0x20b;
const IMAGE_DIRECTORY_ENTRY_EXPORT = 0;
const IMAGE_DIRECTORY_ENTRY_IMPORT = 1;
const IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT = 13;
const IMAGE_SCN_CNT_CODE = 0x20;
const IMAGE_SCN_MEM_EXECUTE = 0x20000000;

/** Ordinals are 16-bit: an export address table can never have more slots. */
const MAX_EXPORTS = 0x10000;
/** Far above any real DLL's import count; stops a table with no terminator from running on. */
const MAX_IMPORTS = 1 << 20;
/** Longer than any real export name (MSVC caps decorated names at 4 KiB). */
const MAX_NAME = 65536;
const PAGE = 65536;

interface SectionHeader {
  name: string;
  virtualSize: number;
  virtualAddress: number;
  sizeOfRawData: number;
  pointerToRawData: number;
  characteristics: number;
  /** File offset of the header itself, for error messages. */
  at: number;
}

/** Page cache over a ByteSource: table walks make many small reads close together. */
class Pages {
  private readonly cache = new Map<number, Uint8Array>();
  constructor(private readonly src: ByteSource) {}
  byte(offset: number): number {
    const page = Math.floor(offset / PAGE);
    let p = this.cache.get(page);
    if (p === undefined) {
      const start = page * PAGE;
      p = this.src.read(start, Math.min(PAGE, this.src.size - start), 'data');
      this.cache.set(page, p);
    }
    return p[offset - page * PAGE]!;
  }
  read(offset: number, length: number, what: string): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.src.size)
      return this.src.read(offset, length, what);
    const page = Math.floor(offset / PAGE);
    if (Math.floor((offset + length - 1) / PAGE) === page && length > 0) {
      this.byte(offset);
      const p = this.cache.get(page)!;
      return p.subarray(offset - page * PAGE, offset - page * PAGE + length);
    }
    return this.src.read(offset, length, what);
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function hex(v: number): string {
  return '0x' + v.toString(16);
}

class Image {
  readonly pages: Pages;
  /** Name bytes left: names may share or overlap bytes, so a crafted file could repeat them endlessly. */
  private nameBudget: number;
  constructor(
    readonly src: ByteSource,
    readonly sections: SectionHeader[],
    readonly sizeOfHeaders: number,
  ) {
    this.pages = new Pages(src);
    this.nameBudget = 8 * src.size + (1 << 20);
  }

  sectionOf(rva: number): SectionHeader | undefined {
    return this.sections.find(
      (s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData),
    );
  }

  /**
   * File offset of `rva` and how many bytes of the file back it from there, or null when the
   * RVA lies in zero-fill or outside every section.
   */
  private map(rva: number, what: string): { offset: number; avail: number } | null {
    const s = this.sectionOf(rva);
    if (s === undefined) {
      if (rva < this.sizeOfHeaders) return { offset: rva, avail: this.sizeOfHeaders - rva };
      throw new FormatError(`corrupt PE file: the ${what} (RVA ${hex(rva)}) lies in no section`, null);
    }
    const delta = rva - s.virtualAddress;
    if (delta >= s.sizeOfRawData) return null;
    return { offset: s.pointerToRawData + delta, avail: s.sizeOfRawData - delta };
  }

  /** Bytes at an RVA; parts in zero-fill read as zeros, like the loader maps them. */
  bytes(rva: number, length: number, what: string): Uint8Array {
    const m = this.map(rva, what);
    if (m === null) return new Uint8Array(length);
    if (m.avail >= length) return this.pages.read(m.offset, length, what);
    const out = new Uint8Array(length);
    out.set(this.pages.read(m.offset, m.avail, what), 0);
    return out;
  }

  u16(rva: number, what: string): number {
    return view(this.bytes(rva, 2, what)).getUint16(0, true);
  }

  u32(rva: number, what: string): number {
    return view(this.bytes(rva, 4, what)).getUint32(0, true);
  }

  /** A whole table at once: `count` entries of `size` bytes. */
  table(rva: number, count: number, size: number, what: string): DataView {
    return view(this.bytes(rva, count * size, what));
  }

  /**
   * A NUL-terminated string at an RVA, scanned page by page so a name costs only the pages it
   * touches. A string that runs to the end of its section's file bytes ends there (the loader maps
   * zeros after them); one that runs off the end of the file is truncation.
   */
  cstring(rva: number, what: string): string {
    const m = this.map(rva, what);
    if (m === null) return '';
    const inFile = this.src.size - m.offset;
    const limit = Math.min(m.avail, MAX_NAME, inFile);
    const parts: Uint8Array[] = [];
    let length = 0;
    let terminated = false;
    for (let pos = m.offset; pos < m.offset + limit;) {
      const pageEnd = Math.min((Math.floor(pos / PAGE) + 1) * PAGE, m.offset + limit);
      const chunk = this.pages.read(pos, pageEnd - pos, what);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        length += nul;
        terminated = true;
        break;
      }
      parts.push(chunk);
      length += chunk.length;
      pos = pageEnd;
    }
    if (!terminated) {
      if (length >= MAX_NAME) {
        throw new FormatError(
          `corrupt PE file: the ${what} at byte ${m.offset} is longer than 64 KiB`,
          m.offset,
        );
      }
      if (m.avail > inFile) {
        throw new FormatError(`truncated PE file: the ${what} at byte ${m.offset} is cut off`, m.offset);
      }
    }
    this.nameBudget -= length;
    if (this.nameBudget < 0) {
      throw new FormatError(
        'corrupt PE file: its names add up to more bytes than the file could hold',
        m.offset,
      );
    }
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
}

interface Directory {
  rva: number;
  size: number;
}

export function readPe(src: ByteSource, path: string, opts: ReadOptions): BinaryFile {
  if (src.size < 64) throw new FormatError(`truncated PE file: only ${src.size} bytes`, 0);
  const dos = view(src.read(0, 64, 'DOS header'));
  if (dos.getUint16(0, true) !== 0x5a4d) throw new FormatError('not a PE file: no MZ signature', 0);
  const peOff = dos.getUint32(0x3c, true);
  const sig = view(src.read(peOff, 24, 'PE signature and COFF header'));
  if (sig.getUint32(0, true) !== 0x00004550) {
    throw new FormatError(
      `not a PE file: an MS-DOS executable without a PE signature at byte ${peOff}`,
      peOff,
    );
  }
  const machineId = sig.getUint16(4, true);
  const numberOfSections = sig.getUint16(6, true);
  const pointerToSymbolTable = sig.getUint32(12, true);
  const numberOfSymbols = sig.getUint32(16, true);
  const sizeOfOptionalHeader = sig.getUint16(20, true);
  const characteristics = sig.getUint16(22, true);
  const optAt = peOff + 24;
  if (sizeOfOptionalHeader < 2) {
    throw new FormatError(`not a PE image: a COFF object file with no optional header`, optAt);
  }
  const opt = view(src.read(optAt, sizeOfOptionalHeader, 'PE optional header'));
  const magic = opt.getUint16(0, true);
  if (magic !== IMAGE_NT_OPTIONAL_HDR32_MAGIC && magic !== IMAGE_NT_OPTIONAL_HDR64_MAGIC) {
    throw new FormatError(`corrupt PE optional header: unknown magic ${hex(magic)}`, optAt);
  }
  const plus = magic === IMAGE_NT_OPTIONAL_HDR64_MAGIC;
  const dirsAt = plus ? 112 : 96;
  if (sizeOfOptionalHeader < dirsAt) {
    throw new FormatError(
      `corrupt PE optional header: ${sizeOfOptionalHeader} bytes, too short for a ${plus ? 'PE32+' : 'PE32'} header`,
      optAt,
    );
  }
  const imageBase = plus ? opt.getBigUint64(24, true) : BigInt(opt.getUint32(28, true));
  const sizeOfHeaders = opt.getUint32(60, true);
  const numberOfRvaAndSizes = Math.min(
    opt.getUint32(dirsAt - 4, true),
    Math.floor((sizeOfOptionalHeader - dirsAt) / 8),
    16,
  );
  const dir = (i: number): Directory | null => {
    if (i >= numberOfRvaAndSizes) return null;
    const rva = opt.getUint32(dirsAt + i * 8, true);
    const size = opt.getUint32(dirsAt + i * 8 + 4, true);
    return rva === 0 ? null : { rva, size };
  };

  // Section table, with long names (`/123`) resolved through the COFF string table as Go does.
  const secAt = optAt + sizeOfOptionalHeader;
  const st = src.read(secAt, numberOfSections * 40, 'PE section table');
  const sv = view(st);
  let strtab: Uint8Array | null = null;
  const longName = (name: string): string => {
    const idx = Number(name.slice(1));
    if (!/^\/\d+$/.test(name) || pointerToSymbolTable === 0) return name;
    if (strtab === null) {
      const at = pointerToSymbolTable + numberOfSymbols * 18;
      if (at + 4 > src.size) return name;
      const len = view(src.read(at, 4, 'COFF string table')).getUint32(0, true);
      strtab = len >= 4 && at + len <= src.size ? src.read(at, len, 'COFF string table') : new Uint8Array(0);
    }
    if (idx >= strtab.length) return name;
    let end = strtab.indexOf(0, idx);
    if (end < 0) end = strtab.length;
    return Buffer.from(strtab.buffer, strtab.byteOffset + idx, end - idx).toString('utf8');
  };
  const sections: SectionHeader[] = [];
  for (let i = 0; i < numberOfSections; i++) {
    const o = i * 40;
    let end = o;
    while (end < o + 8 && st[end] !== 0) end++;
    sections.push({
      name: longName(Buffer.from(st.buffer, st.byteOffset + o, end - o).toString('latin1')),
      virtualSize: sv.getUint32(o + 8, true),
      virtualAddress: sv.getUint32(o + 12, true),
      sizeOfRawData: sv.getUint32(o + 16, true),
      pointerToRawData: sv.getUint32(o + 20, true),
      characteristics: sv.getUint32(o + 36, true),
      at: secAt + o,
    });
  }
  const img = new Image(src, sections, sizeOfHeaders);

  const symbols: SymbolRecord[] = [];
  const record = (
    fields: Pick<SymbolRecord, 'name' | 'kind' | 'defined' | 'section' | 'address' | 'source'> &
      Partial<SymbolRecord>,
  ): SymbolRecord => ({
    demangled: null,
    version: null,
    binding: 'global',
    visibility: 'default',
    size: 0,
    language: 'unknown',
    noise: false,
    abi: null,
    handler: null,
    ...fields,
  });

  let soname: string | null = null;
  const exp = dir(IMAGE_DIRECTORY_ENTRY_EXPORT);
  if (exp !== null) {
    const ed = img.table(exp.rva, 1, 40, 'export directory');
    const nameRva = ed.getUint32(12, true);
    const ordinalBase = ed.getUint32(16, true);
    const numberOfFunctions = ed.getUint32(20, true);
    const numberOfNames = ed.getUint32(24, true);
    const addressOfFunctions = ed.getUint32(28, true);
    const addressOfNames = ed.getUint32(32, true);
    const addressOfNameOrdinals = ed.getUint32(36, true);
    if (nameRva !== 0) soname = img.cstring(nameRva, 'export directory DLL name');
    if (numberOfFunctions > MAX_EXPORTS || numberOfNames > MAX_EXPORTS) {
      throw new FormatError(
        `corrupt PE export directory: ${numberOfFunctions} functions and ${numberOfNames} names, more than ordinals allow`,
        null,
      );
    }
    const eat = img.table(addressOfFunctions, numberOfFunctions, 4, 'export address table');
    const names: string[][] = [];
    if (numberOfNames > 0) {
      const npt = img.table(addressOfNames, numberOfNames, 4, 'export name pointer table');
      const ot = img.table(addressOfNameOrdinals, numberOfNames, 2, 'export ordinal table');
      for (let j = 0; j < numberOfNames; j++) {
        const index = ot.getUint16(j * 2, true);
        if (index >= numberOfFunctions) {
          throw new FormatError(
            `corrupt PE export directory: name ${j} points at slot ${index} of a ${numberOfFunctions}-slot address table`,
            null,
          );
        }
        (names[index] ??= []).push(img.cstring(npt.getUint32(j * 4, true), 'export name'));
      }
    }
    for (let i = 0; i < numberOfFunctions; i++) {
      const rva = eat.getUint32(i * 4, true);
      if (rva === 0) continue;
      const ordinal = ordinalBase + i;
      const forwarded = rva >= exp.rva && rva < exp.rva + exp.size;
      const sec = img.sectionOf(rva);
      const forwarder = forwarded ? img.cstring(rva, 'export forwarder') : null;
      const kind = forwarded
        ? 'other'
        : sec !== undefined && (sec.characteristics & (IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_CNT_CODE)) !== 0
          ? 'func'
          : 'object';
      for (const name of names[i] ?? [`#${ordinal}`]) {
        symbols.push(
          record({
            name,
            kind,
            defined: true,
            section: sec?.name ?? null,
            address: hex(rva),
            source: 'exports',
            ordinal,
            forwarder,
          }),
        );
      }
    }
  }

  const needed: string[] = [];
  const thunkSize = plus ? 8 : 4;
  // One import name table: name imports point at a hint/name entry, ordinal imports set the top bit.
  // Import tables may share entries; more imports than the file has thunk slots is a crafted loop.
  let importBudget = Math.floor(src.size / thunkSize);
  const readThunks = (rva: number, library: string, what: string): void => {
    for (let k = 0; k < MAX_IMPORTS; k++) {
      if (--importBudget < 0) {
        throw new FormatError('corrupt PE import tables: more imports than the file could hold', null);
      }
      const t = img.table(rva + k * thunkSize, 1, thunkSize, what);
      const value = plus ? t.getBigUint64(0, true) : BigInt(t.getUint32(0, true));
      if (value === 0n) return;
      const byOrdinal = value >> BigInt(thunkSize * 8 - 1) === 1n;
      const name = byOrdinal
        ? `#${Number(value & 0xffffn)}`
        : img.cstring(Number(value & 0x7fffffffn) + 2, 'imported name');
      const rec = record({
        name,
        kind: 'notype',
        defined: false,
        section: null,
        address: '0x0',
        source: 'imports',
        library,
      });
      if (byOrdinal) rec.ordinal = Number(value & 0xffffn);
      symbols.push(rec);
    }
    throw new FormatError(`corrupt PE ${what}: no terminating entry`, null);
  };

  const imp = dir(IMAGE_DIRECTORY_ENTRY_IMPORT);
  if (imp !== null) {
    for (let k = 0; k < MAX_IMPORTS; k++) {
      const d = img.table(imp.rva + k * 20, 1, 20, 'import directory');
      const lookup = d.getUint32(0, true);
      const nameRva = d.getUint32(12, true);
      const firstThunk = d.getUint32(16, true);
      if (nameRva === 0 && lookup === 0 && firstThunk === 0) break;
      const dll = img.cstring(nameRva, 'imported DLL name');
      needed.push(dll);
      if (opts.imports) readThunks(lookup !== 0 ? lookup : firstThunk, dll, 'import lookup table');
      if (k === MAX_IMPORTS - 1)
        throw new FormatError('corrupt PE import directory: no terminating entry', null);
    }
  }
  const delay = dir(IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT);
  if (delay !== null) {
    for (let k = 0; k < MAX_IMPORTS; k++) {
      const d = img.table(delay.rva + k * 32, 1, 32, 'delay-load import directory');
      const attributes = d.getUint32(0, true);
      let nameRva = d.getUint32(4, true);
      let intRva = d.getUint32(16, true);
      if (nameRva === 0 && intRva === 0) break;
      // Attribute bit 0 clear: an old (Visual C++ 6) table holding virtual addresses, not RVAs.
      if ((attributes & 1) === 0) {
        nameRva = Number((BigInt(nameRva) - imageBase) & 0xffffffffn);
        intRva = Number((BigInt(intRva) - imageBase) & 0xffffffffn);
      }
      const dll = img.cstring(nameRva, 'delay-loaded DLL name');
      needed.push(dll);
      if (opts.imports && intRva !== 0) readThunks(intRva, dll, 'delay-load import name table');
      if (k === MAX_IMPORTS - 1) {
        throw new FormatError('corrupt PE delay-load import directory: no terminating entry', null);
      }
    }
  }

  const m = MACHINES[machineId] ?? [`machine-${hex(machineId)}`, `machine ${hex(machineId)}`, 'unknown'];
  const isDll = (characteristics & IMAGE_FILE_DLL) !== 0;
  const fileType = isDll
    ? 'dll'
    : (characteristics & IMAGE_FILE_EXECUTABLE_IMAGE) !== 0
      ? 'executable'
      : 'object';
  const typeWords = isDll
    ? 'DLL'
    : fileType === 'executable'
      ? 'executable'
      : 'image (not marked executable)';
  const sectionRefs: SectionRef[] = sections.map((s) => ({
    name: s.name,
    offset: s.sizeOfRawData > 0 ? s.pointerToRawData : 0,
    // The raw size is rounded up to the file alignment; the virtual size is the real content.
    size: s.virtualSize > 0 ? Math.min(s.virtualSize, s.sizeOfRawData) : s.sizeOfRawData,
    addr: Number(imageBase + BigInt(s.virtualAddress)),
    hasBytes: s.sizeOfRawData > 0 && s.pointerToRawData > 0,
  }));
  const info: BinaryInfo = {
    path,
    format: 'pe',
    description: `${plus ? 'PE32+' : 'PE32'} ${typeWords}, ${m[1]} (${m[0]})`,
    bits: plus ? 64 : 32,
    machine: m[0],
    arch: m[2],
    endian: 'little',
    fileType,
    os: 'win32',
    osAbi: null,
    soname,
    needed,
    rpath: [],
    runpath: [],
    slices: null,
    go: null,
    hasDynamicSymbols: exp !== null || imp !== null || delay !== null,
    loadable: { ok: true, reason: null },
  };
  return { info, symbols, sections: sectionRefs };
}
