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
  return /^\s*([$>]\s+)?curl(\.exe)?\s/i.test(text);
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

/** Options that take a value, by short letter and long name (curl's own spelling). */
const SHORT_WITH_VALUE = new Set([
  'X',
  'H',
  'd',
  'b',
  'A',
  'e',
  'u',
  'F',
  'o',
  'm',
  'w',
  'x',
  'T',
  'c',
  'E',
  'K',
  'r',
  'U',
  'Y',
  'y',
  'z',
  'C',
  'P',
  'Q',
  't',
]);
const LONG_WITH_VALUE = new Set([
  'request',
  'header',
  'data',
  'data-raw',
  'data-binary',
  'data-ascii',
  'data-urlencode',
  'json',
  'cookie',
  'user-agent',
  'referer',
  'user',
  'form',
  'form-string',
  'url',
  'oauth2-bearer',
  'output',
  'max-time',
  'connect-timeout',
  'retry',
  'write-out',
  'proxy',
  'resolve',
  'cacert',
  'cert',
  'key',
  'upload-file',
  'cookie-jar',
  'range',
  'proxy-user',
  'limit-rate',
  'interface',
  'config',
  'time-cond',
  'quote',
  'telnet-option',
]);

// curl's --data-urlencode encoding: letters, digits and -._~ kept, a space as +.
function curlUrlEncode(text: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(text)) {
    const ch = String.fromCharCode(b);
    if (b === 0x20) out += '+';
    else out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function encodeDataUrlencode(v: string): string {
  const eq = v.indexOf('=');
  if (eq < 0) return curlUrlEncode(v);
  return `${v.slice(0, eq)}=${curlUrlEncode(v.slice(eq + 1))}`;
}

function basic(userPass: string): string {
  const bytes = new TextEncoder().encode(userPass.includes(':') ? userPass : `${userPass}:`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

function words(text: string): string[] {
  const entries = parse(fromAnsiC(fromCmd(text.replace(/\\\r?\n/g, ' '))), (key: string) => `$${key}`);
  const out: string[] = [];
  for (const e of entries) {
    if (typeof e === 'string') out.push(e);
    else if ('op' in e && e.op === 'glob') out.push(e.pattern);
    else break; // A comment, a pipe or && ends the curl command.
  }
  return out;
}

/** Splits `-sX POST` and `-XPOST` into option/value pairs; long options as `--name value` or `--name=value`. */
function options(argv: string[]): { flag: string; value: string | null }[] {
  const out: { flag: string; value: string | null }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (flag: string): string => {
      const v = argv[++i];
      if (v === undefined) throw new CurlError(`The curl option ${flag} needs a value.`);
      return v;
    };
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (LONG_WITH_VALUE.has(name))
        out.push({ flag: `--${name}`, value: eq > 0 ? a.slice(eq + 1) : next(a) });
      else out.push({ flag: `--${name}`, value: null });
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const letter = a[j]!;
        if (SHORT_WITH_VALUE.has(letter)) {
          const rest = a.slice(j + 1);
          out.push({ flag: `-${letter}`, value: rest !== '' ? rest : next(`-${letter}`) });
          break;
        }
        out.push({ flag: `-${letter}`, value: null });
      }
    } else out.push({ flag: '', value: a });
  }
  return out;
}

const LONG_OF: Record<string, string> = {
  '-X': '--request',
  '-H': '--header',
  '-d': '--data',
  '-b': '--cookie',
  '-A': '--user-agent',
  '-e': '--referer',
  '-u': '--user',
  '-F': '--form',
  '-G': '--get',
  '-I': '--head',
};

export function parseCurl(text: string): CurlRequest {
  const argv = words(text.replace(/^\s*[$>]\s+/, ''));
  if (argv.length === 0 || !/^curl(\.exe)?$/i.test(argv[0] ?? ''))
    throw new CurlError('This is not a curl command.');
  let method: string | null = null;
  let url: string | null = null;
  let get = false;
  let head = false;
  let json = false;
  const headers: [string, string][] = [];
  const defaults = new Map<string, [string, string]>();
  const data: string[] = [];
  const form: [string, string][] = [];
  const ignored: string[] = [];
  const setDefault = (name: string, value: string) => defaults.set(name.toLowerCase(), [name, value.trim()]);

  for (const { flag: short, value } of options(argv.slice(1))) {
    const flag = LONG_OF[short] ?? short;
    const v = value ?? '';
    switch (flag) {
      case '':
        if (url === null) url = v;
        break;
      case '--request':
        method = v;
        break;
      case '--header': {
        const colon = v.indexOf(':');
        if (colon > 0) {
          const name = v.slice(0, colon).trim();
          const val = v.slice(colon + 1).trim();
          // `Name:` with no value removes a header curl would add.
          if (val === '') defaults.delete(name.toLowerCase());
          else headers.push([name, val]);
        } else if (v.endsWith(';')) headers.push([v.slice(0, -1).trim(), '']);
        break;
      }
      case '--data':
      case '--data-ascii':
      case '--data-binary':
      case '--data-raw':
      case '--data-urlencode':
      case '--json':
        if (flag !== '--data-raw' && v.startsWith('@')) {
          ignored.push(`${flag} ${v} (a file the browser cannot read)`);
          break;
        }
        if (flag === '--data-urlencode' && /^[^=]*@/.test(v) && !v.includes('=')) {
          ignored.push(`${flag} ${v} (a file the browser cannot read)`);
          break;
        }
        data.push(flag === '--data-urlencode' ? encodeDataUrlencode(v) : v);
        if (flag === '--json') json = true;
        break;
      case '--get':
        get = true;
        break;
      case '--head':
        head = true;
        break;
      case '--user':
        setDefault('Authorization', basic(v));
        break;
      case '--oauth2-bearer':
        setDefault('Authorization', `Bearer ${v}`);
        break;
      case '--cookie':
        if (v.includes('=')) setDefault('Cookie', v);
        else ignored.push(`${flag} ${v} (a cookie file)`);
        break;
      case '--user-agent':
        setDefault('User-Agent', v);
        break;
      case '--referer':
        setDefault('Referer', v.replace(/;auto$/, ''));
        break;
      case '--compressed':
        setDefault('Accept-Encoding', 'deflate, gzip, br, zstd');
        break;
      case '--form':
      case '--form-string': {
        const eq = v.indexOf('=');
        if (flag === '--form' && /^[^=]*=[@<]/.test(v))
          ignored.push(`${flag} ${v} (a file the browser cannot read)`);
        else form.push(eq < 0 ? [v, ''] : [v.slice(0, eq), v.slice(eq + 1)]);
        break;
      }
      case '--url':
        if (url === null) url = v;
        break;
      default:
        ignored.push(value === null ? flag : `${flag} ${value}`);
    }
  }
  if (url === null) throw new CurlError('The curl command has no URL.');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  if (json) {
    setDefault('Accept', 'application/json');
  }

  let body = '';
  let contentType: string | null = null;
  if (form.length) {
    const boundary = '------------------------PluginStudioForm';
    body = form
      .map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
      .join('')
      .concat(`--${boundary}--\r\n`);
    contentType = `multipart/form-data; boundary=${boundary}`;
  } else if (data.length) {
    const joined = data.join('&');
    if (get) url += (url.includes('?') ? '&' : '?') + joined;
    else {
      body = joined;
      contentType = json ? 'application/json' : 'application/x-www-form-urlencoded';
    }
  }
  const explicit = new Set(headers.map(([n]) => n.toLowerCase()));
  const all: [string, string][] = [
    ...[...defaults.values()].filter(([n]) => !explicit.has(n.toLowerCase())),
    ...headers,
  ];
  if (contentType !== null && !explicit.has('content-type')) all.push(['Content-Type', contentType]);
  const m = method ?? (head ? 'HEAD' : get ? 'GET' : body !== '' ? 'POST' : 'GET');
  return { method: m, url, headers: all, body, ignored };
}
