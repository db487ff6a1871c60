import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * The folder holding package.json, found by walking up from this module: the same code runs from
 * src/ (tsx), dist/src/ (the CLI) and inside an Electron asar archive.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    try {
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string };
      if (json.name === 'plugin-studio') return (cached = dir);
    } catch {
      // not here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the plugin-studio package folder');
    dir = parent;
  }
}
