/**
 * Symbol list ordering, filtering and search over the contract's columnar symbol table. Kept free of
 * React so it can be measured on its own. Search is substring first (what people expect when they
 * type part of a name), then fuzzy (fuzzysort) for typos and abbreviations, over both the raw and
 * the demangled name.
 */
import fuzzysort from 'fuzzysort';
export { sortOrder } from './sort-order.js';
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
  /** What the list shows and sorts by: the demangled name when there is one. */
  display: string;
  /** 0 handlers, 1 Studio ABI exports, 2 the rest: the list's grouping. */
  group: number;
  kind: string;
  defined: boolean;
  noise: boolean;
  handler: { phase: Phase | null; description?: string } | null;
  abi: string | null;
  /** Lower-case names for search, computed on the first search rather than at load. */
  lowerName: string | null;
  lowerDemangled: string | null;
}

/** One row per symbol, in table order (see sortRows and firstRows for the display order). */
export function makeRows(t: SymbolTable): SymbolRow[] {
  const n = t.count;
  const rows = new Array<SymbolRow>(n);
  for (let i = 0; i < n; i++) {
    const flags = t.flags[i] ?? 0;
    const demangled = t.demangled[i] ?? null;
    const name = t.name[i] ?? '';
    rows[i] = {
      i,
      name,
      demangled,
      display: demangled ?? name,
      group: 2,
      kind: SYMBOL_KINDS[t.kind[i] ?? 0] ?? 'other',
      defined: (flags & SymbolFlag.defined) !== 0,
      noise: (flags & SymbolFlag.noise) !== 0,
      handler: null,
      abi: null,
      lowerName: null,
      lowerDemangled: null,
    };
  }
  // The rare fields are sparse: visit only the rows that have them.
  for (const key of Object.keys(t.extra)) {
    const row = rows[Number(key)];
    const extra = t.extra[key];
    if (!row || !extra) continue;
    row.handler = extra.handler ?? null;
    row.abi = extra.abi ?? null;
    row.group = row.handler ? 0 : row.abi ? 1 : 2;
  }
  return rows;
}

/** Display order: handlers first, then the Studio ABI exports, then by name. */
export function compareRows(a: SymbolRow, b: SymbolRow): number {
  return a.group - b.group || (a.display < b.display ? -1 : a.display > b.display ? 1 : 0);
}

export function sortRows(rows: SymbolRow[]): SymbolRow[] {
  return rows.sort(compareRows);
}

/**
 * The first `k` rows of the display order in one pass, without sorting everything: a 100,000-row
 * list paints its top rows at once while the full sort runs in the next task.
 */
export function firstRows(rows: readonly SymbolRow[], k: number): SymbolRow[] {
  const top: SymbolRow[] = [];
  for (const r of rows) {
    if (top.length === k && compareRows(r, top[k - 1]!) >= 0) continue;
    let at = top.length;
    while (at > 0 && compareRows(r, top[at - 1]!) < 0) at--;
    top.splice(at, 0, r);
    if (top.length > k) top.pop();
  }
  return top;
}

/** makeRows and sortRows together. */
export function buildRows(t: SymbolTable): SymbolRow[] {
  return sortRows(makeRows(t));
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

const FUZZY_LIMIT = 100;
/** Fuzzy matches are added only when substring search found fewer rows than this. */
const FUZZY_WHEN_FEWER = 20;
/** Rows handed to fuzzysort at most, the tightest in-order matches first. */
const FUZZY_CANDIDATES = 1000;

/**
 * Length of the stretch of `text` that holds the letters of `q` in order, matched leftmost: a
 * cheap stand-in for how good a fuzzy match can be (shorter is better), or -1 when they are not
 * all there in order.
 */
function inOrderSpan(q: string, text: string): number {
  let at = 0;
  let start = -1;
  for (let i = 0; i < q.length; i++) {
    at = text.indexOf(q[i]!, at);
    if (at < 0) return -1;
    if (start < 0) start = at;
    at++;
  }
  return at - start;
}

export function lowerNames(r: SymbolRow): void {
  if (r.lowerName !== null) return;
  r.lowerName = r.name.toLowerCase();
  r.lowerDemangled = r.demangled === null ? null : r.demangled.toLowerCase();
}

/**
 * Searches one filtered list, keystroke after keystroke. When the query only grows (typing), the
 * rows that matched the previous query are the only ones that can match the new one, so each
 * keystroke scans fewer rows.
 */
export class SymbolSearcher {
  private last: { q: string; matches: SymbolRow[]; letters: SymbolRow[] | null } | null = null;

  constructor(private readonly filtered: readonly SymbolRow[]) {}

  search(query: string): SearchResult {
    const q = query.trim().toLowerCase();
    if (q === '') {
      this.last = null;
      return { rows: this.filtered as SymbolRow[], substringCount: this.filtered.length };
    }
    const grows = this.last !== null && q.startsWith(this.last.q);
    const pool = grows ? this.last!.matches : this.filtered;
    const matches: SymbolRow[] = [];
    for (const r of pool) {
      lowerNames(r);
      if (r.lowerName!.includes(q) || (r.lowerDemangled !== null && r.lowerDemangled.includes(q)))
        matches.push(r);
    }
    const prefix: SymbolRow[] = [];
    const inner: SymbolRow[] = [];
    for (const r of matches) {
      if (r.lowerName!.startsWith(q) || (r.lowerDemangled !== null && r.lowerDemangled.startsWith(q)))
        prefix.push(r);
      else inner.push(r);
    }
    const rows = prefix.concat(inner);

    // Fuzzy only adds what substring missed, and only when substring found little (a typo, an
    // abbreviation): after good matches it would only add noise. Skipped for one-letter queries.
    let letters: SymbolRow[] | null = null;
    if (q.length >= 2 && matches.length < FUZZY_WHEN_FEWER) {
      // fuzzysort prepares (and caches) every target it sees; a plain in-order letter test first
      // keeps it to the rows that can match at all.
      const from = grows && this.last!.letters !== null ? this.last!.letters : this.filtered;
      letters = [];
      const seen = new Set(matches);
      const ranked: { r: SymbolRow; span: number }[] = [];
      for (const r of from) {
        lowerNames(r);
        const a = inOrderSpan(q, r.lowerName!);
        const b = r.lowerDemangled === null ? -1 : inOrderSpan(q, r.lowerDemangled);
        if (a < 0 && b < 0) continue;
        letters.push(r);
        if (!seen.has(r)) ranked.push({ r, span: a < 0 ? b : b < 0 ? a : Math.min(a, b) });
      }
      // The tightest matches, not the first ones in table order: "sslread" finds SSL_read among
      // the 13,000 names that hold those letters somewhere. The sort is stable: ties keep table order.
      ranked.sort((x, y) => x.span - y.span);
      const candidates = ranked.slice(0, FUZZY_CANDIDATES).map((x) => x.r);
      const fuzzy = fuzzysort.go(q, candidates, {
        keys: ['lowerName', 'lowerDemangled'],
        limit: FUZZY_LIMIT,
        threshold: 0.2,
      });
      for (const m of fuzzy) rows.push(m.obj);
    }
    this.last = { q, matches, letters };
    return { rows, substringCount: matches.length };
  }
}

/** One search without the keystroke cache. */
export function searchRows(filtered: readonly SymbolRow[], query: string): SearchResult {
  return new SymbolSearcher(filtered).search(query);
}
