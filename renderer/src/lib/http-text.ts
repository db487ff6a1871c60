/** Requests and responses as HTTP/1.1-style text: what the diff editor compares. */
import type { HttpRequestShape, HttpResponseShape } from '../api.js';

export function bodyText(body: string, encoding: string | undefined): string {
  if (encoding !== 'base64') return body;
  return `[binary body, ${base64Length(body)} bytes, base64]\n${body}`;
}

export function base64Length(b64: string): number {
  const clean = b64.replace(/\s/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - pad);
}

export function requestText(r: HttpRequestShape): string {
  const lines = [`${r.method} ${r.url} ${r.proto ?? 'HTTP/1.1'}`];
  for (const [n, v] of r.headers) lines.push(`${n}: ${v}`);
  return `${lines.join('\n')}\n\n${bodyText(r.body, r.body_encoding)}`;
}

export function responseText(r: HttpResponseShape): string {
  const lines = [`HTTP/1.1 ${r.status}`];
  for (const [n, v] of r.headers) lines.push(`${n}: ${v}`);
  return `${lines.join('\n')}\n\n${bodyText(r.body, r.body_encoding)}`;
}

export interface HeaderChange {
  kind: 'added' | 'removed' | 'changed';
  name: string;
  before: string | null;
  after: string | null;
}

/** Header changes by name (case-insensitive), in the order a person reads them. */
export function headerChanges(
  before: readonly [string, string][],
  after: readonly [string, string][],
): HeaderChange[] {
  const group = (h: readonly [string, string][]) => {
    const m = new Map<string, { name: string; values: string[] }>();
    for (const [n, v] of h) {
      const k = n.toLowerCase();
      const e = m.get(k) ?? { name: n, values: [] };
      e.values.push(v);
      m.set(k, e);
    }
    return m;
  };
  const b = group(before);
  const a = group(after);
  const out: HeaderChange[] = [];
  for (const [k, e] of a) {
    const old = b.get(k);
    if (!old) out.push({ kind: 'added', name: e.name, before: null, after: e.values.join(', ') });
    else if (old.values.join('\u0000') !== e.values.join('\u0000'))
      out.push({ kind: 'changed', name: e.name, before: old.values.join(', '), after: e.values.join(', ') });
  }
  for (const [k, e] of b)
    if (!a.has(k)) out.push({ kind: 'removed', name: e.name, before: e.values.join(', '), after: null });
  return out;
}

export function prettyBody(
  body: string,
  headers: readonly [string, string][],
): { text: string; language: string } {
  const ct = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1].toLowerCase() ?? '';
  const trimmed = body.trimStart();
  if (ct.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { text: JSON.stringify(JSON.parse(body), null, 2), language: 'json' };
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  if (ct.includes('xml')) return { text: body, language: 'xml' };
  if (ct.includes('html')) return { text: body, language: 'html' };
  return { text: body, language: 'plaintext' };
}

export function byteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
