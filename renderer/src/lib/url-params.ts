/**
 * Keeps the URL field and the query-parameter table in sync. The URL text is the source of truth
 * while the user types in it; editing the table rewrites only the query part. Parameters switched
 * off in the table are kept in the table but left out of the URL.
 */
import { row, wellFormed, type Row } from './rows.js';

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    // A lone % is common in hand-typed URLs; show it as typed.
    return s;
  }
}

// Encodes what must be encoded in a query component and leaves the rest readable.
function encode(s: string): string {
  return encodeURIComponent(wellFormed(s))
    .replace(/%2F/gi, '/')
    .replace(/%3A/gi, ':')
    .replace(/%40/g, '@')
    .replace(/%2C/gi, ',');
}

export function splitUrl(url: string): { base: string; query: string | null; hash: string } {
  const hashAt = url.indexOf('#');
  const hash = hashAt >= 0 ? url.slice(hashAt) : '';
  const noHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const q = noHash.indexOf('?');
  if (q < 0) return { base: noHash, query: null, hash };
  return { base: noHash.slice(0, q), query: noHash.slice(q + 1), hash };
}

export function paramsFromUrl(url: string): [string, string][] {
  const { query } = splitUrl(url);
  if (query === null || query === '') return [];
  return query.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
  });
}

/** New table rows after the URL text changed: enabled rows follow the URL, disabled rows stay. */
export function syncRowsFromUrl(url: string, previous: readonly Row[]): Row[] {
  const pairs = paramsFromUrl(url);
  const enabledBefore = previous.filter((r) => r.enabled);
  const rows = pairs.map(([n, v], i) => {
    const old = enabledBefore[i];
    // Reuse ids so focus stays in the row being edited.
    return old ? { ...old, name: n, value: v } : row(n, v);
  });
  return rows.concat(previous.filter((r) => !r.enabled));
}

export function urlWithRows(url: string, rows: readonly Row[]): string {
  const { base, hash } = splitUrl(url);
  const parts = rows
    .filter((r) => r.enabled && (r.name !== '' || r.value !== ''))
    .map((r) => (r.value === '' && r.name !== '' ? encode(r.name) : `${encode(r.name)}=${encode(r.value)}`));
  return parts.length ? `${base}?${parts.join('&')}${hash}` : `${base}${hash}`;
}
