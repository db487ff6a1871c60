/**
 * Who may talk to browser mode. The server listens on 127.0.0.1 only, but any web page the user
 * visits can still aim requests at it (and DNS rebinding can make a hostile name resolve to
 * 127.0.0.1), so every request must also carry the random token and name this server in Host, and a
 * browser's Origin, when sent, must be this server's.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookies are not isolated by port: the name carries it, so two studios never share a cookie. */
export function cookieName(port: number): string {
  return `plugin_studio_${port}`;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    if (name) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export type Refusal = { status: number; message: string };

export class RequestGuard {
  readonly hosts: Set<string>;
  readonly origins: Set<string>;

  constructor(
    readonly token: string,
    readonly port: number,
  ) {
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  /** The token in the query string (`?token=`), if any. */
  queryToken(req: IncomingMessage): string | null {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    return url.searchParams.get('token');
  }

  private cookieToken(req: IncomingMessage): string | null {
    return parseCookies(req.headers.cookie).get(cookieName(this.port)) ?? null;
  }

  /** Null when the request may proceed; otherwise the status and the sentence to refuse it with. */
  check(req: IncomingMessage, requireOrigin: boolean): Refusal | null {
    const host = req.headers.host ?? '';
    if (!this.hosts.has(host.toLowerCase())) {
      return {
        status: 421,
        message: `Refused: this studio answers only to 127.0.0.1:${this.port} or localhost:${this.port}, not "${host}".`,
      };
    }
    const origin = req.headers.origin;
    if (origin !== undefined ? !this.origins.has(origin.toLowerCase()) : requireOrigin) {
      return {
        status: 403,
        message: `Refused: requests from ${origin ?? 'an unknown origin'} are not allowed.`,
      };
    }
    const given = this.cookieToken(req) ?? this.queryToken(req);
    if (given === null || !sameToken(given, this.token)) {
      return {
        status: 401,
        message: 'Refused: open the URL printed by `plugin-studio serve`; it carries the access token.',
      };
    }
    return null;
  }

  setCookieHeader(): string {
    return `${cookieName(this.port)}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
