/**
 * Builds the Go bridge (src/runner/gobridge/) with the user's Go toolchain and caches the binary,
 * keyed by everything that must match the plugin: Go release, GOOS/GOARCH, GOROOT, cgo and its C
 * compiler, -race, -trimpath, build tags, and the bridge's own sources.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BridgeFlags, GoToolchain } from './go-mismatch.js';
import { writeWorkspace, type GatewayWorkspace } from './gobridge-gateway.js';

/** A sentence for the user: the toolchain is missing or the bridge did not build. */
export class GoBridgeError extends Error {
  override readonly name = 'GoBridgeError';
  constructor(
    message: string,
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The bridge's Go sources: $PLUGIN_STUDIO_GO_BRIDGE_SRC (a bridge extended with gateway packages,
 * or a benchmark's copy), else next to this module in the source tree, else under the package root
 * when running from dist/.
 */
export function bridgeSourceDir(): string {
  const override = process.env.PLUGIN_STUDIO_GO_BRIDGE_SRC;
  if (override) {
    if (fs.existsSync(path.join(override, 'main.go'))) return override;
    throw new GoBridgeError(
      `PLUGIN_STUDIO_GO_BRIDGE_SRC names ${override}, which holds no main.go of a Go bridge.`,
    );
  }
  // From dist/src/runner the sources are at <package root>/src/runner/gobridge: walk up to it.
  const candidates = [path.join(here, 'gobridge')];
  for (let dir = here, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'src', 'runner', 'gobridge'));
  }
  for (const dir of candidates) if (fs.existsSync(path.join(dir, 'main.go'))) return dir;
  throw new GoBridgeError(
    `The Go bridge sources (src/runner/gobridge) are missing from this installation (looked from ${here}): reinstall Plugin Studio.`,
  );
}

/** $PLUGIN_STUDIO_CACHE, else $XDG_CACHE_HOME/plugin-studio, else ~/.cache/plugin-studio. */
export function cacheRoot(): string {
  if (process.env.PLUGIN_STUDIO_CACHE) return process.env.PLUGIN_STUDIO_CACHE;
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'plugin-studio');
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { ...opts, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout: String(stdout), stderr: String(stderr) }));
      else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const toolchains = new Map<string, Promise<GoToolchain>>();

/** `go env` of the toolchain, once per process. */
export function goToolchain(go = 'go'): Promise<GoToolchain> {
  let p = toolchains.get(go);
  if (!p) {
    p = readToolchain(go);
    toolchains.set(go, p);
    p.catch(() => toolchains.delete(go));
  }
  return p;
}

async function readToolchain(go: string): Promise<GoToolchain> {
  let out: string;
  try {
    out = (await run(go, ['env', '-json', 'GOVERSION', 'GOOS', 'GOARCH', 'GOROOT', 'CGO_ENABLED', 'CC']))
      .stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new GoBridgeError(
        `Go plugins run through the Go bridge, which needs the Go toolchain that built the plugin, and "${go}" was not found: install Go (Debian: apt-get install golang-go) or set the goToolchain option to its go command.`,
      );
    }
    throw new GoBridgeError(
      `"${go} env" failed, so the Go bridge cannot be built: ${(e.stderr ?? e.message).trim()}`,
    );
  }
  const env = JSON.parse(out) as Record<string, string>;
  if (!env.GOVERSION) {
    throw new GoBridgeError(
      `"${go}" is older than Go 1.16 (its go env has no GOVERSION): install a newer Go to run Go plugins.`,
    );
  }
  return {
    go,
    version: env.GOVERSION,
    goos: env.GOOS ?? '',
    goarch: env.GOARCH ?? '',
    goroot: env.GOROOT ?? '',
    cgo: env.CGO_ENABLED === '1',
    cc: env.CC ?? '',
  };
}

function sourceHash(dir: string): string {
  const h = crypto.createHash('sha256');
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => (n.endsWith('.go') && !n.endsWith('_test.go')) || n === 'go.mod')
    .sort()) {
    h.update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(dir, f)))
      .update('\0');
  }
  return h.digest('hex');
}

export function bridgeKey(
  tc: GoToolchain,
  flags: BridgeFlags,
  sourceDir: string,
  ws: GatewayWorkspace | null = null,
): string {
  const h = crypto.createHash('sha256');
  h.update(
    JSON.stringify({
      version: tc.version,
      goos: tc.goos,
      goarch: tc.goarch,
      goroot: tc.goroot,
      cgo: tc.cgo,
      cc: tc.cc,
      race: flags.race,
      trimpath: flags.trimpath,
      tags: [...flags.tags].sort(),
      source: sourceHash(sourceDir),
      gateway: ws?.hash ?? null,
    }),
  );
  const flagPart = [flags.race ? 'race' : '', flags.trimpath ? 'trimpath' : '', ws ? 'tyk' : '']
    .filter(Boolean)
    .join('-');
  return `${tc.version}-${tc.goos}-${tc.goarch}${flagPart ? `-${flagPart}` : ''}-${h.digest('hex').slice(0, 16)}`;
}

export interface BridgeBinary {
  path: string;
  key: string;
  cached: boolean;
  buildMs: number;
}

const building = new Map<string, Promise<BridgeBinary>>();

/** The cached bridge for these flags, built first when missing. */
export function ensureBridge(
  tc: GoToolchain,
  flags: BridgeFlags,
  onProgress?: (message: string) => void,
  ws: GatewayWorkspace | null = null,
): Promise<BridgeBinary> {
  const sourceDir = bridgeSourceDir();
  const key = bridgeKey(tc, flags, sourceDir, ws);
  const dir = path.join(cacheRoot(), 'go-bridge', key);
  const binary = path.join(dir, tc.goos === 'windows' ? 'gobridge.exe' : 'gobridge');
  if (fs.existsSync(binary)) {
    onProgress?.(`Using the cached Go bridge for ${tc.version} (${dir}).`);
    return Promise.resolve({ path: binary, key, cached: true, buildMs: 0 });
  }
  let p = building.get(key);
  if (!p) {
    p = buildBridge(tc, flags, sourceDir, dir, binary, onProgress, ws).finally(() => building.delete(key));
    building.set(key, p);
  }
  return p;
}

/**
 * The go build command line. -ldflags=-s -w: the bridge needs no DWARF or static symbol table (Go's
 * own tracebacks read pclntab, and plugins bind to the dynamic symbol table), and without them
 * linking is the shorter half of a cold build. -buildvcs=false: the sources may sit inside the
 * user's repository, and stamping would run git on it (flag known from Go 1.18).
 */
export function goBuildArgs(flags: BridgeFlags, output: string, goVersion = 'go1.18'): string[] {
  const args = ['build', '-o', output, '-ldflags=-s -w'];
  const minor = /^go1\.(\d+)/.exec(goVersion);
  if (!minor || Number(minor[1]) >= 18) args.push('-buildvcs=false');
  if (flags.race) args.push('-race');
  if (flags.trimpath) args.push('-trimpath');
  if (flags.tags.length) args.push('-tags', flags.tags.join(','));
  args.push('.');
  return args;
}

async function buildBridge(
  tc: GoToolchain,
  flags: BridgeFlags,
  sourceDir: string,
  dir: string,
  binary: string,
  onProgress?: (message: string) => void,
  ws: GatewayWorkspace | null = null,
): Promise<BridgeBinary> {
  fs.mkdirSync(dir, { recursive: true });
  // With a gateway checkout the bridge builds inside a go.work that uses it, from a copy of the
  // sources plus the generated context hook; otherwise from the shipped sources, workspace off.
  const where = ws ? writeWorkspace(sourceDir, ws, path.join(dir, 'src')) : { cwd: sourceDir, goWork: 'off' };
  const tmp = `${binary}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const args = goBuildArgs(flags, tmp, tc.version);
  onProgress?.(
    `Building the Go bridge with ${tc.version} (go build ${args.slice(3).join(' ')}): first use of these build settings, this takes a few seconds.`,
  );
  const started = performance.now();
  try {
    await run(tc.go, args, {
      cwd: where.cwd,
      // Only the flags the plugin needs: GOFLAGS from the environment (say -mod=vendor) and a
      // go.work around the sources must not change how the bridge builds.
      env: { ...process.env, GOFLAGS: '', GOWORK: where.goWork, CGO_ENABLED: '1' },
    });
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
    const hint =
      /race/.test(stderr) && flags.race
        ? ' -race needs cgo and the race runtime for this platform.'
        : /gcc|cc1|C compiler/.test(stderr)
          ? ' The bridge needs cgo: install a C compiler (gcc).'
          : ws && /go\.sum|missing|download|module lookup disabled|no required module/.test(stderr)
            ? ` The gateway checkout's dependencies must be in the module cache: run go mod download in ${ws.checkout}.`
            : '';
    throw new GoBridgeError(
      `The Go bridge did not build with ${tc.version}.${hint} go build said: ${stderr.split('\n').slice(0, 5).join(' | ')}`,
      stderr,
    );
  }
  // Another process may have finished the same build meanwhile; either binary is the same.
  fs.renameSync(tmp, binary);
  const buildMs = performance.now() - started;
  onProgress?.(`Built the Go bridge in ${(buildMs / 1000).toFixed(1)} s (cached in ${dir}).`);
  return { path: binary, key: path.basename(dir), cached: false, buildMs };
}
