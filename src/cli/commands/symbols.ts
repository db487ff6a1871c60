/**
 * `plugin-studio symbols FILE`: the symbols of a plugin or any shared library, as a table or JSON.
 * The common case (an ELF file, human output) prints straight from the symbol table bytes and
 * demangles from native memory: no JS object or string per symbol, so listing 75,000 C++ exports
 * costs little more than demangling them.
 */
import fs from 'node:fs';
import { parseCommandLine, UsageError } from '../usage.js';
import { OutBuffer } from '../table.js';
import { FormatError } from '../../binary/errors.js';
// Only what the ELF table path needs is imported up front; the other readers (and Go build info)
// load with open.js when a file or an option needs them.
import { openSource } from '../../binary/detect.js';
import { openElfTables } from '../../binary/context.js';
import { CxaDemangler, demangleAll, manglingOf } from '../../binary/demangle.js';
import type { ElfSymbolTable, ElfTables } from '../../binary/elf.js';
import type { ByteSource } from '../../binary/source.js';
import type { BinaryFile, BinaryInfo, ReadOptions, SymbolRecord } from '../../binary/types.js';

export const usage = `Usage: plugin-studio symbols FILE [--json] [--imports] [--all] [--no-demangle]

Lists the symbols of a plugin or any shared library (ELF, Mach-O, PE).
By default: the defined exports (dynamic symbols).

Options:
  --json          one JSON array, one object per symbol
  --imports       add undefined (imported) symbols
  --all           add the static symbol table (.symtab) and local symbols
  --no-demangle   show C++/Rust names as stored
`;

const OPTIONS = {
  json: { type: 'boolean' },
  imports: { type: 'boolean' },
  all: { type: 'boolean' },
  'no-demangle': { type: 'boolean' },
} as const;

const HEADER_NAMES = ['ADDRESS', 'SIZE', 'KIND', 'BIND', 'NAME'];
const SIZE_WIDTH = 8;
const KIND_WIDTH = 7;
const BIND_WIDTH = 7;
/** PE exports are also called by ordinal (and some only by ordinal): a column of their own. */
const ORDINAL_WIDTH = 7;

function fail(path: string, message: string): number {
  process.stderr.write(`plugin-studio symbols: ${path}: ${message}\n`);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('expects exactly one FILE (see --help)');
  const path = positionals[0]!;
  const opts: ReadOptions = { imports: values.imports, all: values.all, demangle: !values['no-demangle'] };
  try {
    if (!values.json) {
      const opened = openSource(path);
      if (opened.format === 'elf') {
        try {
          return printElfFast(path, opened.src, opts);
        } finally {
          opened.src.close();
        }
      }
      opened.src.close();
    }
    const { openBinary } = await import('../../binary/open.js');
    const file = openBinary(path, opts);
    if (!values.all && !file.info.hasDynamicSymbols && file.symbols.length === 0) {
      return fail(path, noDynamicSymbols(file.info));
    }
    if (values.json) {
      if (file.info.go?.isPlugin) await addGoTypes(path, file);
      writeOut(jsonArray(file.symbols));
    } else {
      writeOut(tableOf(file, opts));
    }
    return 0;
  } catch (err) {
    if (err instanceof FormatError) return fail(path, err.message);
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    throw err;
  }
}

function noDynamicSymbols(info: BinaryInfo): string {
  return `${info.description}: no dynamic symbols (an object file or static executable); --all lists its static symbol table`;
}

function writeOut(out: OutBuffer): void {
  out.flushTo(1, fs.writeSync);
}

function jsonArray(symbols: SymbolRecord[]): OutBuffer {
  const out = new OutBuffer();
  out.text('[');
  for (let i = 0; i < symbols.length; i++) {
    out.text(i === 0 ? '\n  ' : ',\n  ');
    out.text(JSON.stringify(symbols[i]));
  }
  out.text(symbols.length ? '\n]\n' : ']\n');
  return out;
}

/**
 * Go -buildmode=plugin files: the Go bridge asks the Go toolchain for each export's type, which
 * also tells which exports have a Tyk handler signature. Loaded only for such files.
 */
async function addGoTypes(path: string, file: BinaryFile): Promise<void> {
  let types: Map<string, { goType: string; role: 'request' | 'response' | 'other' }>;
  try {
    const { goSymbolTypes } = await import('../../runner/gobridge.js');
    types = await goSymbolTypes(path);
  } catch (err) {
    // The symbols are listed anyway; only the Go types are missing (no Go toolchain, say).
    process.stderr.write(
      `plugin-studio symbols: note: Go types not available (${err instanceof Error ? err.message : String(err)})\n`,
    );
    return;
  }
  for (const s of file.symbols) {
    const t = types.get(s.name) ?? (s.goName ? types.get(s.goName) : undefined);
    if (!t) continue;
    s.goType = t.goType;
    if (t.role !== 'other') s.handler = { phase: t.role };
  }
}

function addressDigits(info: BinaryInfo): number {
  return info.bits === 32 ? 8 : 16;
}

function header(out: OutBuffer, digits: number, all: boolean, ordinals = false): void {
  out.padEnd(HEADER_NAMES[0]!, digits);
  out.text('  ');
  out.padStart(HEADER_NAMES[1]!, SIZE_WIDTH);
  out.text('  ');
  out.padEnd(HEADER_NAMES[2]!, KIND_WIDTH);
  out.text(' ');
  out.padEnd(HEADER_NAMES[3]!, BIND_WIDTH);
  out.text(' ');
  if (all) out.text('TABLE   ');
  if (ordinals) out.padEnd('ORDINAL', ORDINAL_WIDTH + 1);
  out.text(HEADER_NAMES[4]!);
  out.byte(0x0a);
}

/** The fixed columns after the size: kind, binding and (with --all) the table, padded. */
function columns(kind: string, bind: string, source: string | null): Buffer {
  return Buffer.from(
    `  ${kind.padEnd(KIND_WIDTH)} ${bind.padEnd(BIND_WIDTH)} ${source === null ? '' : source.padEnd(8)}`,
  );
}

/** Everything before the name: address (blank for undefined symbols), size, kind, binding. */
function prefix(
  out: OutBuffer,
  digits: number,
  defined: boolean,
  hi: number,
  lo: number,
  size: number,
  cols: Buffer,
): void {
  if (defined) out.hex(hi, lo, digits);
  else out.spaces(digits);
  out.text('  ');
  out.uint(size, SIZE_WIDTH);
  out.bytes(cols, 0, cols.length);
}

function versionSuffix(out: OutBuffer, version: string | null, hidden: boolean, defined: boolean): void {
  if (version === null) return;
  out.text(defined && !hidden ? '@@' : '@');
  out.text(version);
}

/** The table for any format, from annotated records. */
function tableOf(file: BinaryFile, opts: ReadOptions): OutBuffer {
  const out = new OutBuffer();
  const digits = addressDigits(file.info);
  const ordinals = file.info.format === 'pe';
  header(out, digits, opts.all === true, ordinals);
  const cache = new Map<string, Buffer>();
  for (const s of file.symbols) {
    const v = BigInt(s.address);
    const source = opts.all ? s.source : null;
    const key = `${s.kind} ${s.binding} ${source}`;
    let cols = cache.get(key);
    if (!cols) cache.set(key, (cols = columns(s.kind, s.binding, source)));
    prefix(out, digits, s.defined, Number(v >> 32n), Number(v & 0xffffffffn), s.size, cols);
    if (ordinals) {
      if (s.ordinal == null) out.spaces(ORDINAL_WIDTH);
      else out.uint(s.ordinal, ORDINAL_WIDTH);
      out.text(' ');
    }
    out.text(s.demangled ?? s.name);
    versionSuffix(out, s.version, s.versionHidden === true, s.defined);
    if (s.forwarder) out.text(` -> ${s.forwarder}`);
    // PE and two-level Mach-O imports name their library: the table groups nothing, so say it.
    if (s.library) out.text(` (from ${s.library})`);
    out.byte(0x0a);
  }
  return out;
}

const LEGACY_RUST_TAIL = 20; // "17h" + 16 hex digits + "E"

/**
 * ELF, human output: reads each field from the table bytes and copies names (or their demangled
 * form, straight from the demangler's native buffer) into the output without making JS strings.
 */
function printElfFast(path: string, src: ByteSource, opts: ReadOptions): number {
  const t = openElfTables(src, path, opts);
  if (!opts.all && !t.file.info.hasDynamicSymbols) return fail(path, noDynamicSymbols(t.file.info));
  writeOut(elfTable(t, opts));
  return 0;
}

/** The table of an ELF file's symbols, straight from its symbol tables (also fuzzed as is). */
export function elfTable(t: ElfTables, opts: ReadOptions): OutBuffer {
  // About 150 bytes a row for C++-heavy tables.
  const out = new OutBuffer(((t.dynsym?.count ?? 0) + (t.symtab?.count ?? 0)) * 150);
  const digits = addressDigits(t.file.info);
  header(out, digits, opts.all === true);
  for (const table of [t.dynsym, t.symtab]) {
    if (table) printTable(out, table, digits, opts);
  }
  return out;
}

function printTable(out: OutBuffer, table: ElfSymbolTable, digits: number, opts: ReadOptions): void {
  const strings = table.strings;
  const raw = strings.raw;
  // koffi and the C++ runtime are loaded at the first C++ name: a C library never pays for them.
  let cxa: CxaDemangler | null | undefined;
  const demangler = (): CxaDemangler | null => {
    if (cxa === undefined) {
      cxa = CxaDemangler.get();
      cxa?.setStrings(raw);
    }
    return cxa;
  };
  const source = opts.all ? table.source : null;
  // Kind and binding come from st_info alone: one padded column block per distinct byte.
  const colsByInfo = new Array<Buffer | undefined>(256);
  for (const i of table.select(opts)) {
    const shndx = table.shndx(i);
    const defined = shndx !== 0;
    const info = table.info(i);
    let cols = colsByInfo[info];
    if (!cols) colsByInfo[info] = cols = columns(table.kind(i), table.binding(i), source);
    prefix(out, digits, defined, table.valueHi(i), table.valueLo(i), table.size(i), cols);
    const off = table.nameOffset(i);
    if (off >= raw.length && off !== 0) strings.get(off); // throws the table's FormatError
    const end = strings.end(off);
    if (opts.demangle === false || !writeDemangled(out, raw, off, end, demangler)) out.bytes(raw, off, end);
    const v = table.version(i);
    if (v) versionSuffix(out, v.name, v.hidden || v.library !== null, defined);
    out.byte(0x0a);
  }
}

/** Writes the demangled form of the name at raw[off, end) and returns true, or returns false. */
function writeDemangled(
  out: OutBuffer,
  raw: Buffer,
  off: number,
  end: number,
  demangler: () => CxaDemangler | null,
): boolean {
  const c0 = raw[off];
  if (c0 !== 0x5f && c0 !== 0x3f) return false;
  const c1 = raw[off + 1];
  if (c0 === 0x5f && c1 !== 0x5a && c1 !== 0x52) return false;
  const cxa = c0 === 0x5f && c1 === 0x5a && !maybeRustLegacy(raw, off, end) ? demangler() : null;
  if (cxa) {
    const n = cxa.demangleAt(off);
    if (n < 0) return false;
    out.bytes(cxa.out, 0, n);
    return true;
  }
  const name = raw.toString('utf8', off, end);
  if (manglingOf(name) === null) return false;
  const d = demangleAll([name])[0];
  if (d == null) return false;
  out.text(d);
  return true;
}

/** `_ZN...17h<16 hex>E`, possibly followed by a `.suffix`: checked on bytes, a string only when unsure. */
function maybeRustLegacy(raw: Buffer, off: number, end: number): boolean {
  if (raw[off + 2] !== 0x4e) return false;
  const h = end - LEGACY_RUST_TAIL;
  if (h > off && raw[end - 1] === 0x45 && raw[h] === 0x31 && raw[h + 1] === 0x37 && raw[h + 2] === 0x68)
    return true;
  for (let k = off + 3; k < end; k++) if (raw[k] === 0x2e) return true;
  return false;
}
