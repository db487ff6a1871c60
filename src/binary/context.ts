/**
 * Error sentences with context: a reader's FormatError ("truncated or corrupt: ...") becomes
 * "<what the file is>: <what is wrong>". Also the ELF-only fast open used by `symbols`, which needs
 * none of the other readers.
 */
import { FormatError } from './errors.js';
import type { ByteSource } from './source.js';
import { describeElf, parseElfHeader, readElfTables, type ElfTables } from './elf.js';
import { loadVerdict } from './verdict.js';
import type { BinaryFormat, ReadOptions } from './types.js';

const FORMAT_NAMES: Record<BinaryFormat, string> = { elf: 'ELF file', macho: 'Mach-O file', pe: 'PE file' };

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

/** The longest message we show: names from a corrupt file can be arbitrarily long. */
const MAX_MESSAGE = 400;

/**
 * Messages quote names read from the file (section names, strings), which in a corrupt file may
 * hold newlines or other control bytes: those are shown escaped, so the sentence stays one line.
 */
export function oneLine(message: string): string {
  const clean = message.replace(
    /[\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE - 1)}…` : clean;
}

/** Runs a reader; its FormatError becomes "<what the file is>: <what is wrong> (byte N)". */
export function withContext<T>(format: BinaryFormat, src: ByteSource, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof FormatError) {
      throw new FormatError(oneLine(`${whatItIs(format, src)}: ${err.message}`), err.offset);
    }
    if (err instanceof RangeError) {
      throw new FormatError(oneLine(`${whatItIs(format, src)}: corrupt: ${err.message}`), null);
    }
    throw err;
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
