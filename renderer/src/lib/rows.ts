/** Editable name/value rows (headers, query parameters, form fields), each switchable off. */
export interface Row {
  id: number;
  name: string;
  value: string;
  enabled: boolean;
}

let nextId = 1;

export function row(name = '', value = '', enabled = true): Row {
  return { id: nextId++, name, value, enabled };
}

export function rowsFromPairs(pairs: readonly (readonly [string, string])[]): Row[] {
  return pairs.map(([n, v]) => row(n, v));
}

/** Enabled rows with a name, in order: what actually goes on the wire. */
export function pairsFromRows(rows: readonly Row[]): [string, string][] {
  return rows.filter((r) => r.enabled && r.name !== '').map((r) => [r.name, r.value]);
}

/** Lone UTF-16 surrogates (a half-pasted emoji) as U+FFFD: encodeURIComponent throws on them. */
export function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
