/**
 * app://studio/ serves the built renderer (dist/renderer) with the CSP header. Only files inside
 * that folder are reachable; the same path check as browser mode.
 */
import { protocol } from 'electron';
import { contentType, readStatic, resolveStatic } from '../src/server/static-files.js';
import { APP_HOST, APP_SCHEME, RENDERER_CSP } from './security.js';

/** Must run before the app is ready: a standard, secure scheme gets an origin and `'self'` in the CSP. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const file = resolveStatic(rendererDir, url.pathname);
    const body = file ? await readStatic(file) : null;
    if (!file || !body) {
      const missing = url.pathname === '/' || url.pathname === '/index.html';
      return new Response(
        missing ? 'The studio UI is not built: run `npm run build:renderer`.' : 'Not found',
        {
          status: 404,
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        },
      );
    }
    const type = contentType(file);
    const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = RENDERER_CSP;
    return new Response(new Uint8Array(body), { status: 200, headers });
  });
}
