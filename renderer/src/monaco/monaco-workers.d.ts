// Monaco's own label-based worker factory (what its JSON and TypeScript features use), which the
// package ships without typings.
declare module 'monaco-editor/esm/vs/internal/common/workers.js' {
  import type { editor } from 'monaco-editor/editor/editor.api.js';

  export function createWebWorker<T extends object>(opts: {
    label?: string;
    moduleId?: string;
    createData?: unknown;
    host?: Record<string, (...args: unknown[]) => unknown>;
    keepIdleModels?: boolean;
  }): editor.MonacoWebWorker<T>;
}
