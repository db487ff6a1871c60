/**
 * How to start the Node/koffi plugin host: Node itself running host.js from dist/. When the
 * engine itself runs from TypeScript sources (tsx, in development and tests), the host is bundled
 * once per engine process with esbuild into build/: starting a host under `--import tsx` costs
 * about 300 ms against 85 ms for plain JavaScript, and crash recovery restarts hosts often.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostLaunch } from './types.js';

const here = fileURLToPath(import.meta.url);
const fromSources = here.endsWith('.ts');

let bundled: Promise<string | null> | null = null;

async function bundleHost(): Promise<string | null> {
  const root = path.resolve(path.dirname(here), '..', '..');
  const outDir = path.join(root, 'build', 'runner-host');
  const outfile = path.join(outDir, `host-${process.pid}.mjs`);
  try {
    const esbuild = await import('esbuild');
    fs.mkdirSync(outDir, { recursive: true });
    await esbuild.build({
      entryPoints: [path.join(path.dirname(here), 'host.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['koffi'],
      outfile,
      logLevel: 'silent',
    });
    process.once('exit', () => fs.rmSync(outfile, { force: true }));
    return outfile;
  } catch {
    return null;
  }
}

export async function nodeHostLaunch(): Promise<HostLaunch> {
  if (!fromSources) return { command: process.execPath, args: [path.join(path.dirname(here), 'host.js')] };
  bundled ??= bundleHost();
  const script = await bundled;
  if (script) return { command: process.execPath, args: [script] };
  return { command: process.execPath, args: ['--import', 'tsx', path.join(path.dirname(here), 'host.ts')] };
}
