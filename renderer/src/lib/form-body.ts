/** application/x-www-form-urlencoded bodies as a table. */
import { row, wellFormed, type Row } from './rows.js';

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function formRowsFromBody(body: string): Row[] {
  if (body === '') return [];
  return body.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? row(decode(part), '') : row(decode(part.slice(0, eq)), decode(part.slice(eq + 1)));
  });
}

export function bodyFromFormRows(rows: readonly Row[]): string {
  return rows
    .filter((r) => r.enabled && r.name !== '')
    .map((r) =>
      `${encodeURIComponent(wellFormed(r.name))}=${encodeURIComponent(wellFormed(r.value))}`.replace(
        /%20/g,
        '+',
      ),
    )
    .join('&');
}
