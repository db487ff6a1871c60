/**
 * Builds the Tyk-style test plugin (this directory) with the Go on PATH into build/go-tyk/, once per
 * variant and process. Each build goes to a temporary name first, so test files running in
 * parallel never load a half-written plugin.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const sourceDir = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(sourceDir, '..', '..', '..');
export const outDir = path.join(root, 'build', 'go-tyk');

export type Variant = 'plain' | 'trimpath' | 'race';

const FLAGS: Record<Variant, string[]> = { plain: [], trimpath: ['-trimpath'], race: ['-race'] };

function goBuild(args: string[], cwd: string, out: string, env: NodeJS.ProcessEnv = {}): string {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  execFileSync('go', ['build', '-o', tmp, ...args], {
    cwd,
    env: { ...process.env, GOFLAGS: '', GOWORK: 'off', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  fs.renameSync(tmp, out);
  return out;
}

const built = new Map<string, string>();

/** The test plugin built with -buildmode=plugin and the variant's flags. */
export function buildGoTykPlugin(variant: Variant = 'plain'): string {
  const out = path.join(outDir, `${variant}.so`);
  let p = built.get(out);
  if (!p) {
    p = goBuild(['-buildmode=plugin', ...FLAGS[variant], '.'], sourceDir, out);
    built.set(out, p);
  }
  return p;
}

/** Writes a small Go module under build/go-tyk/src/<name> and builds it; returns the output path. */
export function buildGoModule(
  name: string,
  files: Record<string, string>,
  args: string[],
  output: string,
  env: NodeJS.ProcessEnv = {},
): string {
  const dir = path.join(outDir, 'src', name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const out = path.join(outDir, output);
  const key = `${out}\0${args.join(' ')}`;
  let p = built.get(key);
  if (!p) {
    p = goBuild(args, dir, out, env);
    built.set(key, p);
  }
  return p;
}

/** `go1.19.8`, from the toolchain on PATH. */
export function goVersion(): string {
  return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
}

/**
 * The gateway-plugin test plugin, built as Tyk documents it: inside a Go workspace that uses the
 * gateway checkout (here the stand-in module in ./gateway).
 */
export function buildGatewayPlugin(): string {
  const out = path.join(outDir, 'gateway-plugin.so');
  let p = built.get(out);
  if (!p) {
    const ws = path.join(outDir, 'gateway-ws');
    fs.mkdirSync(ws, { recursive: true });
    const goWork = path.join(ws, 'go.work');
    fs.writeFileSync(
      goWork,
      `go 1.18\n\nuse (\n\t${path.join(sourceDir, 'gateway')}\n\t${path.join(sourceDir, 'gateway-plugin')}\n)\n`,
    );
    fs.mkdirSync(outDir, { recursive: true });
    const tmp = `${out}.tmp-${process.pid}`;
    execFileSync('go', ['build', '-buildmode=plugin', '-o', tmp, '.'], {
      cwd: path.join(sourceDir, 'gateway-plugin'),
      env: { ...process.env, GOFLAGS: '', GOWORK: goWork },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    fs.renameSync(tmp, out);
    p = out;
    built.set(out, p);
  }
  return p;
}

/** The stand-in gateway checkout for PLUGIN_STUDIO_TYK_GATEWAY. */
export const gatewayCheckout = path.join(sourceDir, 'gateway');
