/**
 * Every security-relevant setting of the Electron shell, in one plain module (no runtime import of
 * Electron) so that test/electron/security.test.ts can check it without the Electron binary.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../src/server/csp.js';

/** The renderer is served from app://studio/, never file://: file URLs would grant the page the whole disk. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** The renderer talks to the engine only over IPC: no network connection at all. */
export const RENDERER_CSP = contentSecurityPolicy();

/** IPC channels. preload.cts repeats them (a sandboxed preload cannot import); a test keeps both equal. */
export const CHANNELS = {
  request: 'studio:request',
  event: 'studio:event',
  openDropped: 'studio:open-dropped',
} as const;

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export function windowOptions(
  preload: string,
  bounds: { x?: number; y?: number; width: number; height: number },
) {
  const options: BrowserWindowConstructorOptions = {
    ...bounds,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Plugin Studio',
    backgroundColor: '#1e1e1e',
    webPreferences: webPreferences(preload),
  };
  return options;
}

/** True for a URL of our own renderer; everything else is refused navigation, IPC and permissions. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
