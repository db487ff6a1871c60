/** Electron: the preload exposes the contract's Transport as window.pluginStudio. */
import type { Transport } from './api.js';

declare global {
  interface Window {
    pluginStudio?: Transport;
  }
}

export function electronTransport(): Transport | null {
  const t = window.pluginStudio;
  if (!t || typeof t.request !== 'function' || typeof t.onEvent !== 'function') return null;
  return t;
}
