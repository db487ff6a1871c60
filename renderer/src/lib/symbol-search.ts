/**
 * Symbol list ordering, filtering and search over the contract's columnar symbol table. Kept free of
 * React so it can be measured on its own. Search is substring first (what people expect when they
 * type part of a name), then fuzzy (fuzzysort) for typos and abbreviations, over both the raw and
 * the demangled name.
 */
import fuzzysort from 'fuzzysort';
import { SYMBOL_KINDS, SymbolFlag, type Phase, type SymbolTable } from '../api.js';

export interface SymbolFilters {
  handlers: boolean;
  functions: boolean;
  data: boolean;
  imports: boolean;
  hideNoise: boolean;
}

export const DEFAULT_FILTERS: SymbolFilters = {
  handlers: false,
  functions: false,
  data: false,
  imports: false,
  hideNoise: true,
};

export interface SymbolRow {
  /** Row of the symbol table (for symbolAt). */
  i: number;
  name: string;
  demangled: string | null;
  lowerName: string;
  lowerDemangled: string | null;
  kind: string;
  defined: boolean;
  noise: boolean;
  handler: { phase: Phase | null; description?: string } | null;
  abi: string | null;
}

function group(r: SymbolRow): number {
  if (r.handler) return 0;
  if (r.abi) return 1;
  return 2;
}

/** Rows in display order: handlers first, then the Studio ABI exports, then by name. */
export function buildRows(t: SymbolTable): SymbolRow[] {
  const rows = new Array<SymbolRow>(t.count);
  for (let i = 0; i < t.count; i++) {
    const extra = t.extra[String(i)];
    const flags = t.flags[i] ?? 0;
    const demangled = t.demangled[i] ?? null;
    const name = t.name[i] ?? '';
    rows[i] = {
      i,
      name,
      demangled,
      lowerName: name.toLowerCase(),
      lowerDemangled: demangled === null ? null : demangled.toLowerCase(),
      kind: SYMBOL_KINDS[t.kind[i] ?? 0] ?? 'other',
      defined: (flags & SymbolFlag.defined) !== 0,
      noise: (flags & SymbolFlag.noise) !== 0,
      handler: extra?.handler ?? null,
      abi: extra?.abi ?? null,
    };
  }
  rows.sort((a, b) => {
    const g = group(a) - group(b);
    if (g !== 0) return g;
    const an = a.demangled ?? a.name;
    const bn = b.demangled ?? b.name;
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  return rows;
}

export function isFunction(kind: string): boolean {
  return kind === 'func' || kind === 'ifunc';
}

export function isData(kind: string): boolean {
  return kind === 'object' || kind === 'tls' || kind === 'common';
}

function passes(r: SymbolRow, f: SymbolFilters): boolean {
  if (f.hideNoise && r.noise) return false;
  if (!f.imports && !r.defined) return false;
  // The kind filters narrow when any is on; none on means every kind.
  if (f.handlers || f.functions || f.data) {
    const ok =
      (f.handlers && r.handler !== null) || (f.functions && isFunction(r.kind)) || (f.data && isData(r.kind));
    if (!ok) return false;
  }
  return true;
}

export function applyFilters(rows: readonly SymbolRow[], f: SymbolFilters): SymbolRow[] {
  return rows.filter((r) => passes(r, f));
}

export interface SearchResult {
  rows: SymbolRow[];
  /** How many rows matched by substring (they come first); the rest are fuzzy matches. */
  substringCount: number;
}

const FUZZY_LIMIT = 200;

export function searchRows(filtered: readonly SymbolRow[], query: string): SearchResult {
  const q = query.trim().toLowerCase();
  if (q === '') return { rows: filtered as SymbolRow[], substringCount: filtered.length };

  const prefix: SymbolRow[] = [];
  const inner: SymbolRow[] = [];
  const seen = new Set<SymbolRow>();
  for (const r of filtered) {
    const n = r.lowerName.indexOf(q);
    const d = r.lowerDemangled === null ? -1 : r.lowerDemangled.indexOf(q);
    if (n === 0 || d === 0) prefix.push(r);
    else if (n > 0 || d > 0) inner.push(r);
    else continue;
    seen.add(r);
  }
  const rows = prefix.concat(inner);
  const substringCount = rows.length;

  // Fuzzy only adds what substring missed, and only when substring found little: for a common
  // fragment it would bury good matches under noise. Skipped for one-letter queries.
  if (q.length >= 2 && substringCount < FUZZY_LIMIT) {
    const fuzzy = fuzzysort.go(q, filtered, {
      keys: ['lowerName', 'lowerDemangled'],
      limit: FUZZY_LIMIT,
      threshold: 0.35,
    });
    for (const m of fuzzy) if (!seen.has(m.obj)) rows.push(m.obj);
  }
  return { rows, substringCount };
}
