/**
 * The Content-Security-Policy of the studio's page, shared by browser mode and the Electron window.
 * No inline or eval'd script anywhere. Styles allow 'unsafe-inline' because Monaco writes its
 * decoration and theme rules into <style> elements at run time; scripts never get that.
 */
export interface CspOptions {
  /** Extra sources the page may connect to (browser mode: its own ws:// URL). */
  connect?: string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(options.connect ?? [])]],
    ['worker-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['frame-src', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}
