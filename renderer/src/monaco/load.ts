/**
 * Loads Monaco on first use, in its own chunk, so the first paint of the app never waits for it.
 * The theme follows the OS (light or dark) and changes with it.
 */
import type { Monaco } from './monaco.js';

let loading: Promise<Monaco> | null = null;
let loaded: Monaco | null = null;

export function monacoIfLoaded(): Monaco | null {
  return loaded;
}

export function loadMonaco(): Promise<Monaco> {
  loading ??= import('./monaco.js').then(({ monaco }) => {
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => monaco.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
    apply();
    dark.addEventListener('change', apply);
    loaded = monaco;
    return monaco;
  });
  return loading;
}
