/** The public API of src/binary: open a binary, read its symbols, demangle and classify names. */
export { openBinary, openSource, openElfTables, annotateSymbols, loadVerdict, withContext } from './open.js';
export { detectFormat } from './detect.js';
export { readElf, readElfTables, ElfSymbolTable, type ElfTables } from './elf.js';
export { readMachO } from './macho.js';
export { readPe } from './pe.js';
export { readGoBuildInfo } from './go.js';
export { demangle, demangleAll, manglingOf, CxaDemangler, type Mangling } from './demangle.js';
export { classifySymbol, type Classification } from './classify.js';
export { FormatError } from './errors.js';
export { FileSource, BufferSource, type ByteSource } from './source.js';
export type * from './types.js';
