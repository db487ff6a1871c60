/**
 * The one entry point for reading a binary: recognise the format, run its reader, then fill what
 * is the same for every format (demangled names, language, noise, Studio ABI role, Go build info,
 * whether this host can load the file). Every failure is a FormatError whose message is one
 * sentence saying what the file is and why it cannot be used.
 */
import { FormatError } from './errors.js';
import type { ByteSource } from './source.js';
import { openSource } from './detect.js';
import { withContext } from './context.js';
import { loadVerdict } from './verdict.js';
import { readElf } from './elf.js';
import { readMachO } from './macho.js';
import { readPe } from './pe.js';
import { readGoBuildInfo } from './go.js';
import { classifySymbol } from './classify.js';
import { demangleAll } from './demangle.js';
import type { BinaryFile, BinaryFormat, BinaryInfo, ReadOptions } from './types.js';

// Kept importable from here: this module is the public entry point of src/binary.
export { openSource, type OpenedSource } from './detect.js';
export { withContext, openElfTables } from './context.js';
export { loadVerdict } from './verdict.js';

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
