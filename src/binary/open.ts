/**
 * The one entry point for reading a binary: recognise the format, run its reader, then fill what
 * is the same for every format (demangled names, language, noise, Studio ABI role, Go build info,
 * whether this host can load the file). Every failure is a FormatError whose message is one
 * sentence saying what the file is and why it cannot be used.
 */
import { FormatError } from './errors.js';
import { FileSource, type ByteSource } from './source.js';
import { detectFormat, fsErrorSentence, SNIFF_BYTES, statForReading } from './detect.js';
import { describeElf, parseElfHeader, readElf, readElfTables, elfShortName, type ElfTables } from './elf.js';
import { readMachO } from './macho.js';
import { readPe } from './pe.js';
import { readGoBuildInfo } from './go.js';
import { classifySymbol } from './classify.js';
import { demangleAll } from './demangle.js';
import type { BinaryFile, BinaryFormat, BinaryInfo, LoadVerdict, ReadOptions } from './types.js';

const FORMAT_NAMES: Record<BinaryFormat, string> = { elf: 'ELF file', macho: 'Mach-O file', pe: 'PE file' };

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

/** What the file is, for the start of an error sentence, from as much of its header as reads. */
function whatItIs(format: BinaryFormat, src: ByteSource): string {
  if (format === 'elf') {
    try {
      return describeElf(parseElfHeader(src.read(0, Math.min(64, src.size)), src.size));
    } catch {
      return 'ELF file';
    }
  }
  return FORMAT_NAMES[format];
}

/** Runs a reader; its FormatError becomes "<what the file is>: <what is wrong> (byte N)". */
export function withContext<T>(format: BinaryFormat, src: ByteSource, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof FormatError) {
      throw new FormatError(`${whatItIs(format, src)}: ${err.message}`, err.offset);
    }
    if (err instanceof RangeError) {
      throw new FormatError(`${whatItIs(format, src)}: corrupt: ${err.message}`, null);
    }
    throw err;
  }
}

function readByFormat(format: BinaryFormat, src: ByteSource, path: string, opts: ReadOptions): BinaryFile {
  if (format === 'elf') return readElf(src, path, opts);
  if (format === 'macho') return readMachO(src, path, opts);
  return readPe(src, path, opts);
}

/**
 * Go build info for every format. A damaged Go section must not hide the symbols, which were read
 * fine: the file is then shown without Go details.
 */
function goInfo(src: ByteSource, file: BinaryFile): BinaryInfo['go'] {
  try {
    return readGoBuildInfo(src, file);
  } catch (err) {
    if (err instanceof FormatError || err instanceof RangeError) return null;
    throw err;
  }
}

/** Fills demangled, language, noise, abi (and goName for Go symbols) on every symbol. */
export function annotateSymbols(file: BinaryFile, opts: ReadOptions): void {
  const goFile = file.info.go !== null;
  const symbols = file.symbols;
  if (opts.demangle !== false) {
    const demangled = demangleAll(symbols.map((s) => s.name));
    for (let i = 0; i < symbols.length; i++) symbols[i]!.demangled = demangled[i] ?? null;
  }
  for (const s of symbols) {
    const c = classifySymbol(s.name, goFile);
    s.language = c.language;
    s.noise = c.noise;
    s.abi = c.abi;
    if (c.language === 'go' && !c.noise) s.goName = s.name;
  }
}

/** Reads a binary of any supported format, with every symbol annotated and the load verdict set. */
export function openBinary(path: string, opts: ReadOptions = {}): BinaryFile {
  const { src, format } = openSource(path);
  try {
    return withContext(format, src, () => {
      const file = readByFormat(format, src, path, opts);
      file.info.go = goInfo(src, file);
      annotateSymbols(file, opts);
      file.info.loadable = loadVerdict(file.info);
      return file;
    });
  } finally {
    src.close();
  }
}

/**
 * ELF only: header, dynamic section and raw symbol tables, without building a record per symbol.
 * The `symbols` command prints straight from these when it needs nothing else.
 */
export function openElfTables(src: ByteSource, path: string, opts: ReadOptions): ElfTables {
  return withContext('elf', src, () => {
    const t = readElfTables(src, path, opts);
    t.file.info.loadable = loadVerdict(t.file.info);
    return t;
  });
}

const HOST_FORMAT: Record<string, BinaryFormat> = { darwin: 'macho', win32: 'pe' };
const OS_WORDS: Record<string, string> = {
  linux: 'Linux',
  darwin: 'macOS',
  win32: 'Windows',
  freebsd: 'FreeBSD',
  openbsd: 'OpenBSD',
  netbsd: 'NetBSD',
  sunos: 'Solaris',
  aix: 'AIX',
};
const ARCH_WORDS: Record<string, string> = {
  x64: 'x86-64',
  ia32: 'x86 (32-bit)',
  arm64: 'ARM64',
  arm: 'ARM (32-bit)',
  ppc64: 'PowerPC64',
  s390x: 'IBM Z (s390x)',
  riscv64: 'RISC-V 64',
  loong64: 'LoongArch64',
  mips64el: 'MIPS64',
};

/** The short name a sentence starts with: "ELF 32-bit ARM shared library". */
function shortName(info: BinaryInfo): string {
  return info.format === 'elf' ? elfShortName(info) : info.description;
}

/** Can this host load the file as a plugin? When not, one sentence that says why. */
export function loadVerdict(
  info: BinaryInfo,
  platform: string = process.platform,
  arch: string = process.arch,
): LoadVerdict {
  const name = shortName(info);
  const hostOs = OS_WORDS[platform] ?? platform;
  const no = (reason: string): LoadVerdict => ({ ok: false, reason: `${name}: ${reason}` });
  const hostFormat = HOST_FORMAT[platform] ?? 'elf';
  if (info.format !== hostFormat) {
    const fileOs = OS_WORDS[info.os] ?? info.os;
    return no(`built for ${fileOs}, cannot load on this ${hostOs} machine`);
  }
  if (info.format === 'elf' && info.os !== 'unknown' && info.os !== platform) {
    return no(`built for ${OS_WORDS[info.os] ?? info.os}, cannot load on this ${hostOs} machine`);
  }
  if (info.arch !== arch) return no(`cannot load on this ${ARCH_WORDS[arch] ?? arch} machine`);
  switch (info.fileType) {
    case 'object':
      return no(
        'an object file with no dynamic symbols: link it into a shared library (gcc -shared) to load it',
      );
    case 'core':
      return no('a core dump, not a library');
    case 'executable':
      return info.hasDynamicSymbols
        ? no('a program, not a shared library: executables cannot be loaded as plugins')
        : no('a static executable with no dynamic symbols: nothing in it can be loaded');
    case 'pie':
      return no(
        'a position-independent executable: the dynamic loader refuses to load executables as libraries',
      );
    case 'unknown':
      return no('an ELF file of unknown type: only shared libraries can be loaded');
    default:
      break;
  }
  if (info.format === 'macho' && !['dylib', 'bundle'].includes(info.fileType)) {
    return no('not a dynamic library or bundle: only those can be loaded');
  }
  if (info.format === 'pe' && info.fileType !== 'dll') return no('not a DLL: only DLLs can be loaded');
  return { ok: true, reason: null };
}
