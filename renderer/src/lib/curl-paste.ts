/**
 * Turns a curl command pasted into the URL field into a request. The contract has no import
 * operation, so this runs in the UI, on shell-quote (a well-kept shell-word parser). It accepts
 * bash quoting (including $'...' strings, as browsers' "Copy as cURL" writes them) and Windows cmd
 * quoting (^-escapes), and reports the flags it did not apply.
 */
import { parse } from 'shell-quote';

export interface CurlRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
  /** Flags recognised but without effect on a single request (`--compressed`, `-L`...). */
  ignored: string[];
}

export class CurlError extends Error {}

export function looksLikeCurl(text: string): boolean {
  return /^\s*curl(\.exe)?\s/i.test(text);
}

// Windows cmd: ^ escapes the next character and a trailing ^ continues the line.
function fromCmd(text: string): string {
  if (!/\^"/.test(text) && !/\^\r?\n/.test(text)) return text;
  return text
    .replace(/\^\r?\n/g, ' ')
    .replace(/\^(.)/g, (_m, c: string) => (c === '"' ? '\\"' : c))
    .replace(/\\\\"/g, '\\"');
}

// bash $'...' strings: decoded here into plain single-quoted words, which shell-quote understands.
function fromAnsiC(text: string): string {
  return text.replace(/\$'((?:[^'\\]|\\.)*)'/g, (_m, body: string) => {
    const decoded = body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[0-7]{1,3}|.)/g, (_e, c: string) => {
      if (c[0] === 'x' || c[0] === 'u') return String.fromCharCode(parseInt(c.slice(1), 16));
      if (/^[0-7]+$/.test(c)) return String.fromCharCode(parseInt(c, 8));
      return ({ n: '\n', r: '\r', t: '\t', '0': '\0', e: '\x1b' } as Record<string, string>)[c] ?? c;
    });
    return `'${decoded.replace(/'/g, `'\\''`)}'`;
  });
}

const IGNORED = new Set([
  '-L',
  '--location',
  '--compressed',
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-v',
  '--verbose',
  '-k',
  '--insecure',
  '-i',
  '--include',
  '-f',
  '--fail',
  '--http1.1',
  '--http2',
  '-#',
  '--progress-bar',
  '-N',
  '--no-buffer',
]);
const IGNORED_WITH_VALUE = new Set([
  '-o',
  '--output',
  '-m',
  '--max-time',
  '--connect-timeout',
  '--retry',
  '-w',
  '--write-out',
  '-x',
  '--proxy',
  '--resolve',
  '--cacert',
  '--cert',
  '--key',
]);

const DATA_FLAGS = new Set([
  '-d',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-ascii',
  '--data-urlencode',
]);

function words(text: string): string[] {
  const entries = parse(fromAnsiC(fromCmd(text.replace(/\\\r?\n/g, ' '))), (key: string) => `$${key}`);
  const out: string[] = [];
  for (const e of entries) {
    if (typeof e === 'string') out.push(e);
    else if ('op' in e && e.op === 'glob') out.push(e.pattern);
    else if ('comment' in e) break;
    else break; // A pipe or && ends the curl command.
  }
  return out;
}

function encodeDataUrlencode(v: string): string {
  const eq = v.indexOf('=');
  if (eq < 0) return encodeURIComponent(v);
  return `${v.slice(0, eq)}=${encodeURIComponent(v.slice(eq + 1))}`;
}

export function parseCurl(text: string): CurlRequest {
  const argv = words(text);
  if (argv.length === 0 || !/^curl(\.exe)?$/i.test(argv[0] ?? ''))
    throw new CurlError('This is not a curl command.');
  let method: string | null = null;
  let url: string | null = null;
  let get = false;
  let head = false;
  const headers: [string, string][] = [];
  const data: string[] = [];
  const form: [string, string][] = [];
  const ignored: string[] = [];

  for (let i = 1; i < argv.length; i++) {
    let a = argv[i]!;
    let inline: string | null = null;
    if (a.startsWith('--') && a.includes('=')) {
      inline = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    } else if (/^-[XHdbAeuF]./.test(a)) {
      inline = a.slice(2);
      a = a.slice(0, 2);
    }
    const value = (): string => {
      if (inline !== null) return inline;
      const v = argv[++i];
      if (v === undefined) throw new CurlError(`The curl option ${a} needs a value.`);
      return v;
    };
    if (a === '-X' || a === '--request') method = value().toUpperCase();
    else if (a === '-H' || a === '--header') {
      const h = value();
      const colon = h.indexOf(':');
      if (colon > 0) headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    } else if (DATA_FLAGS.has(a)) {
      const v = value();
      data.push(a === '--data-urlencode' ? encodeDataUrlencode(v) : v);
    } else if (a === '-G' || a === '--get') get = true;
    else if (a === '-I' || a === '--head') head = true;
    else if (a === '-u' || a === '--user')
      headers.push(['Authorization', `Basic ${btoa(unescape(encodeURIComponent(value())))}`]);
    else if (a === '-b' || a === '--cookie') headers.push(['Cookie', value()]);
    else if (a === '-A' || a === '--user-agent') headers.push(['User-Agent', value()]);
    else if (a === '-e' || a === '--referer') headers.push(['Referer', value()]);
    else if (a === '-F' || a === '--form') {
      const v = value();
      const eq = v.indexOf('=');
      form.push(eq < 0 ? [v, ''] : [v.slice(0, eq), v.slice(eq + 1)]);
    } else if (a === '--url') url = value();
    else if (IGNORED.has(a)) ignored.push(a);
    else if (IGNORED_WITH_VALUE.has(a)) {
      value();
      ignored.push(a);
    } else if (a.startsWith('-') && a !== '-') ignored.push(a);
    else if (url === null) url = a;
  }
  if (url === null) throw new CurlError('The curl command has no URL.');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;

  let body = '';
  if (form.length) {
    const boundary = '----PluginStudioFormBoundary';
    body = form
      .map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
      .join('')
      .concat(`--${boundary}--\r\n`);
    if (!headers.some(([n]) => n.toLowerCase() === 'content-type'))
      headers.push(['Content-Type', `multipart/form-data; boundary=${boundary}`]);
  } else if (data.length) {
    const joined = data.join('&');
    if (get) url += (url.includes('?') ? '&' : '?') + joined;
    else {
      body = joined;
      if (!headers.some(([n]) => n.toLowerCase() === 'content-type'))
        headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
  }
  const m = method ?? (head ? 'HEAD' : get ? 'GET' : body !== '' ? 'POST' : 'GET');
  return { method: m, url, headers, body, ignored };
}
