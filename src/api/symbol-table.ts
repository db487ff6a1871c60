/**
 * The symbol list as it crosses the wire: one message with every row, in columns. A library can
 * hold 100,000 symbols and the UI searches and virtualizes locally, so the table is sent once and
 * kept compact: enum fields are small integers into the fixed code lists below, and the fields that
 * are nearly always empty (ordinal, forwarder, library, Go names, handler) are sparse, keyed by row.
 * Columns of one table all have `count` entries (checked by the schema).
 */
import { z } from 'zod';
import type {
  SymbolBinding,
  SymbolKind,
  SymbolLanguage,
  SymbolRecord,
  SymbolSource,
  SymbolVisibility,
  StudioAbiRole,
} from '../binary/types.js';
import { PhaseSchema } from './schemas.js';

export const SYMBOL_KINDS: readonly SymbolKind[] = [
  'func',
  'object',
  'tls',
  'ifunc',
  'notype',
  'common',
  'other',
];
export const SYMBOL_BINDINGS: readonly SymbolBinding[] = ['global', 'weak', 'local', 'unique'];
export const SYMBOL_VISIBILITIES: readonly SymbolVisibility[] = [
  'default',
  'hidden',
  'protected',
  'internal',
];
export const SYMBOL_SOURCES: readonly SymbolSource[] = [
  'dynsym',
  'symtab',
  'nlist',
  'trie',
  'exports',
  'imports',
];
export const SYMBOL_LANGUAGES: readonly SymbolLanguage[] = [
  'c',
  'c++',
  'rust',
  'go',
  'cgo',
  'runtime',
  'unknown',
];

/** Bits of the `flags` column. */
export const SymbolFlag = {
  defined: 1,
  noise: 2,
  versionHidden: 4,
} as const;

const SparseExtraSchema = z.object({
  ordinal: z.number().optional(),
  forwarder: z.string().nullable().optional(),
  library: z.string().nullable().optional(),
  abi: z.enum(['abi_version', 'free', 'manifest']).nullable().optional(),
  handler: z
    .object({ phase: PhaseSchema.nullable(), description: z.string().optional() })
    .nullable()
    .optional(),
  goType: z.string().nullable().optional(),
  goName: z.string().nullable().optional(),
});
export type SymbolExtra = z.infer<typeof SparseExtraSchema>;

/**
 * A column checked by one tight loop: zod's per-element schemas cost ~100 ms on 75,000 rows,
 * a budget the symbol list needs for painting.
 */
function column<T>(what: string, ok: (x: unknown) => boolean) {
  return z.custom<T[]>((v) => Array.isArray(v) && v.every(ok), { message: `expected a list of ${what}` });
}
const isString = (x: unknown) => typeof x === 'string';
const isStringOrNull = (x: unknown) => x === null || typeof x === 'string';
const strings = () => column<string>('strings', isString);
const stringsOrNull = () => column<string | null>('strings or nulls', isStringOrNull);
const codes = (n: number) =>
  column<number>(`codes below ${n}`, (x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < n);

export const SymbolTableSchema = z
  .object({
    /** The plugin file these rows belong to (lets the UI drop a stale reply after a reopen). */
    path: z.string(),
    count: z.number().int().min(0),
    name: strings(),
    demangled: stringsOrNull(),
    version: stringsOrNull(),
    kind: codes(SYMBOL_KINDS.length),
    binding: codes(SYMBOL_BINDINGS.length),
    visibility: codes(SYMBOL_VISIBILITIES.length),
    source: codes(SYMBOL_SOURCES.length),
    language: codes(SYMBOL_LANGUAGES.length),
    flags: codes(8),
    section: stringsOrNull(),
    /** Hex with 0x prefix, as in SymbolRecord. */
    address: strings(),
    size: column<number>('sizes', (x) => typeof x === 'number' && x >= 0),
    /** Row index (as a decimal string, JSON has no integer keys) to the rarely-set fields. */
    extra: z.record(z.string(), SparseExtraSchema),
  })
  .check((ctx) => {
    const t = ctx.value;
    const columns = [
      t.name,
      t.demangled,
      t.version,
      t.kind,
      t.binding,
      t.visibility,
      t.source,
      t.language,
      t.flags,
      t.section,
      t.address,
      t.size,
    ];
    if (columns.some((c) => c.length !== t.count)) {
      ctx.issues.push({ code: 'custom', message: 'symbol table columns differ in length', input: t });
    }
  });
export type SymbolTable = z.infer<typeof SymbolTableSchema>;

function indexOf<T>(list: readonly T[], value: T): number {
  const i = list.indexOf(value);
  return i < 0 ? list.length - 1 : i;
}

/** Packs reader output into the wire table. */
export function encodeSymbolTable(path: string, symbols: readonly SymbolRecord[]): SymbolTable {
  const n = symbols.length;
  const t: SymbolTable = {
    path,
    count: n,
    name: new Array<string>(n),
    demangled: new Array<string | null>(n),
    version: new Array<string | null>(n),
    kind: new Array<number>(n),
    binding: new Array<number>(n),
    visibility: new Array<number>(n),
    source: new Array<number>(n),
    language: new Array<number>(n),
    flags: new Array<number>(n),
    section: new Array<string | null>(n),
    address: new Array<string>(n),
    size: new Array<number>(n),
    extra: {},
  };
  for (let i = 0; i < n; i++) {
    const s = symbols[i]!;
    t.name[i] = s.name;
    t.demangled[i] = s.demangled;
    t.version[i] = s.version;
    t.kind[i] = indexOf(SYMBOL_KINDS, s.kind);
    t.binding[i] = indexOf(SYMBOL_BINDINGS, s.binding);
    t.visibility[i] = indexOf(SYMBOL_VISIBILITIES, s.visibility);
    t.source[i] = indexOf(SYMBOL_SOURCES, s.source);
    t.language[i] = indexOf(SYMBOL_LANGUAGES, s.language);
    t.flags[i] =
      (s.defined ? SymbolFlag.defined : 0) |
      (s.noise ? SymbolFlag.noise : 0) |
      (s.versionHidden ? SymbolFlag.versionHidden : 0);
    t.section[i] = s.section;
    t.address[i] = s.address;
    t.size[i] = s.size;
    const extra: SymbolExtra = {};
    if (s.ordinal !== undefined) extra.ordinal = s.ordinal;
    if (s.forwarder != null) extra.forwarder = s.forwarder;
    if (s.library != null) extra.library = s.library;
    if (s.abi !== null) extra.abi = s.abi;
    if (s.handler !== null) extra.handler = s.handler;
    if (s.goType != null) extra.goType = s.goType;
    if (s.goName != null) extra.goName = s.goName;
    for (const _key in extra) {
      t.extra[String(i)] = extra;
      break;
    }
  }
  return t;
}

/** One row back as a full SymbolRecord (the details pane). Throws RangeError for a bad index. */
export function symbolAt(t: SymbolTable, i: number): SymbolRecord {
  if (!Number.isInteger(i) || i < 0 || i >= t.count) throw new RangeError(`no symbol row ${i}`);
  const flags = t.flags[i]!;
  const extra = t.extra[String(i)] ?? {};
  const record: SymbolRecord = {
    name: t.name[i]!,
    demangled: t.demangled[i] ?? null,
    version: t.version[i] ?? null,
    kind: SYMBOL_KINDS[t.kind[i]!] ?? 'other',
    binding: SYMBOL_BINDINGS[t.binding[i]!] ?? 'global',
    visibility: SYMBOL_VISIBILITIES[t.visibility[i]!] ?? 'default',
    defined: (flags & SymbolFlag.defined) !== 0,
    section: t.section[i] ?? null,
    address: t.address[i]!,
    size: t.size[i]!,
    source: SYMBOL_SOURCES[t.source[i]!] ?? 'dynsym',
    language: SYMBOL_LANGUAGES[t.language[i]!] ?? 'unknown',
    noise: (flags & SymbolFlag.noise) !== 0,
    abi: (extra.abi ?? null) as StudioAbiRole | null,
    handler: extra.handler ?? null,
  };
  if (flags & SymbolFlag.versionHidden) record.versionHidden = true;
  if (extra.ordinal !== undefined) record.ordinal = extra.ordinal;
  if (extra.forwarder !== undefined) record.forwarder = extra.forwarder;
  if (extra.library !== undefined) record.library = extra.library;
  if (extra.goType !== undefined) record.goType = extra.goType;
  if (extra.goName !== undefined) record.goName = extra.goName;
  return record;
}

/**
 * The symbol list's display order: handlers first, then the Studio ABI exports, then the rest; each
 * group by its displayed name (the demangled one when there is one) in code-unit order, ties in
 * reader order. The UI sorts its rows the same way (renderer/src/lib/symbol-search.ts).
 */
function displayGroup(s: SymbolRecord): number {
  return s.handler ? 0 : s.abi ? 1 : 2;
}

/**
 * The first `limit` symbols of the list's display order, as a table of their own (`count` is
 * theirs; `total` is how many rows the full table holds). A 75,000-symbol table is ~16 MB on the
 * wire: the UI paints this screenful first and the full table follows.
 */
export function symbolTableHead(
  path: string,
  symbols: readonly SymbolRecord[],
  limit: number,
): { total: number; table: SymbolTable } {
  const k = Math.max(0, Math.min(limit, symbols.length));
  const top: number[] = [];
  const groups: number[] = [];
  const names: string[] = [];
  for (let i = 0; i < symbols.length && k > 0; i++) {
    const s = symbols[i]!;
    const g = displayGroup(s);
    const d = s.demangled ?? s.name;
    // Rows already in `top` come earlier in reader order, so an equal one stays after them.
    const before = (j: number) => g < groups[j]! || (g === groups[j]! && d < names[j]!);
    if (top.length === k && !before(k - 1)) continue;
    let at = top.length;
    while (at > 0 && before(at - 1)) at--;
    top.splice(at, 0, i);
    groups.splice(at, 0, g);
    names.splice(at, 0, d);
    if (top.length > k) {
      top.pop();
      groups.pop();
      names.pop();
    }
  }
  return {
    total: symbols.length,
    table: encodeSymbolTable(
      path,
      top.map((i) => symbols[i]!),
    ),
  };
}
