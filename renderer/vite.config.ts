import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Relative base: the same build is served by browser mode (http) and by Electron's custom protocol.
export default defineConfig({
  root,
  base: './',
  // JSX through esbuild's automatic runtime: no React plugin needed (no dev-server fast refresh).
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Monaco alone is several MB; it is split out and loaded lazily, so the warning says nothing useful.
    chunkSizeWarningLimit: 6000,
    // Keep assets as files: a strict CSP (no data: fonts) and the codicon font both need that.
    assetsInlineLimit: 0,
  },
  worker: { format: 'es' },
  resolve: {
    // Monaco's package exports map only `.js` modules; its CSS files are reached by path.
    alias: [{ find: /^monaco-editor\/esm\//, replacement: `${root}../node_modules/monaco-editor/esm/` }],
  },
});
