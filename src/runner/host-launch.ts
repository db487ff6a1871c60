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
  // The bench's validating thread is a second entry, found by the host beside its own file.
  const outDir = path.join(root, 'build', 'runner-host', String(process.pid));
  try {
    const esbuild = await import('esbuild');
    fs.mkdirSync(outDir, { recursive: true });
    await esbuild.build({
      entryPoints: ['host.ts', 'bench-validator.ts'].map((f) => path.join(path.dirname(here), f)),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['koffi'],
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
    process.once('exit', () => fs.rmSync(outDir, { recursive: true, force: true }));
    return path.join(outDir, 'host.mjs');
  } catch {
    return null;
  }
}

/**
 * glibc's per-thread cache holds 7 chunks per size by default; past that, malloc and free take
 * the arena's atomic path, because the host (like any gateway) has more than one thread. Plugins
 * that allocate many small blocks per call (cJSON parses a request into dozens of nodes) then
 * run up to 30% slower than in a single-threaded program. A larger cache removes that gap.
 */
function hostEnv(): Record<string, string> | undefined {
  if (process.platform !== 'linux') return undefined;
  const current = process.env.GLIBC_TUNABLES;
  if (current?.includes('glibc.malloc.tcache_count')) return undefined;
  const tune = 'glibc.malloc.tcache_count=32';
  return { GLIBC_TUNABLES: current ? `${current}:${tune}` : tune };
}

export async function nodeHostLaunch(): Promise<HostLaunch> {
  const env = hostEnv();
  const withEnv = (launch: HostLaunch): HostLaunch => (env ? { ...launch, env } : launch);
  if (!fromSources)
    return withEnv({ command: process.execPath, args: [path.join(path.dirname(here), 'host.js')] });
  bundled ??= bundleHost();
  const script = await bundled;
  if (script) return withEnv({ command: process.execPath, args: [script] });
  return withEnv({
    command: process.execPath,
    args: ['--import', 'tsx', path.join(path.dirname(here), 'host.ts')],
  });
}
