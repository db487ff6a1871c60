/**
 * Go plugins (-buildmode=plugin) run in the Go bridge, a Go program built on demand with the
 * user's toolchain. This module prepares that host for the supervisor: it resolves Tyk's plugin
 * file naming, compares the plugin's build with the toolchain before any load attempt, and builds
 * or reuses the cached bridge. It also asks the bridge for the exact Go type of every export.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { openBinary } from '../binary/index.js';
import type { BinaryFile } from '../binary/types.js';
import { ensureBridge, GoBridgeError, goToolchain } from './gobridge-build.js';
import { bridgeFlagsFor, explainGoMismatch, pluginBuild, type BridgeFlags } from './go-mismatch.js';
import type { OpenErrorMessage, ReadyMessage } from './protocol.js';
import { PluginOpenError } from './session.js';
import { resolveTykPluginPath } from './tyk-naming.js';
import type { HostLaunch, PluginSessionOptions } from './types.js';

export { GoBridgeError } from './gobridge-build.js';

export interface GoHostOptions extends PluginSessionOptions {
  /**
   * Build the bridge with these flags instead of the plugin's own, for a bridge that must stay
   * fixed (a gateway's exact build). A plugin built otherwise is then refused before loading.
   */
  bridgeFlags?: Partial<BridgeFlags>;
}

/** The go command: the option, then $PLUGIN_STUDIO_GO, then `go` on PATH. */
export function goCommand(opts: { goToolchain?: string } = {}): string {
  return opts.goToolchain ?? process.env.PLUGIN_STUDIO_GO ?? 'go';
}

const TYK_PACKAGE = 'github.com/TykTechnologies/tyk/';

/**
 * Plugins that use the gateway's own packages (ctx.GetSession, ctx.GetDefinition) load in the
 * bridge with their own copy of those packages, but nothing fills the gateway's request context.
 */
export function gatewayPackagesNote(file: BinaryFile): string | null {
  const pkgs = new Set<string>();
  for (const s of file.symbols) {
    if (!s.name.startsWith(TYK_PACKAGE)) continue;
    const rest = s.name.slice(TYK_PACKAGE.length);
    const dot = rest.indexOf('.', rest.lastIndexOf('/') + 1);
    pkgs.add(TYK_PACKAGE + (dot > 0 ? rest.slice(0, dot) : rest));
  }
  if (pkgs.size === 0) return null;
  const list = [...pkgs].sort().slice(0, 4).join(', ');
  return `This plugin uses Tyk gateway packages (${list}): they load with the plugin, but the studio does not run a gateway, so ctx.GetSession and ctx.GetDefinition return nil; to give them values the bridge must be built inside a Go workspace (go.work) that uses the Tyk gateway checkout of the exact release the plugin was built against, which this version of the studio does not do yet.`;
}

/** Resolves the file, checks the build against the toolchain, builds or reuses the bridge. */
export async function prepareGoHost(pluginPath: string, opts: GoHostOptions = {}): Promise<HostLaunch> {
  let file = pluginPath;
  if (opts.gatewayVersion) {
    const r = resolveTykPluginPath(pluginPath, opts.gatewayVersion);
    opts.onProgress?.(r.message);
    if (!r.exists) throw new PluginOpenError(r.message);
    file = r.path;
  }
  let bin: BinaryFile;
  try {
    bin = openBinary(file);
  } catch (err) {
    throw new PluginOpenError(err instanceof Error ? err.message : String(err));
  }
  const go = bin.info.go;
  if (!go?.isPlugin) {
    throw new PluginOpenError(
      `${path.basename(file)} is not a Go plugin: the Go bridge runs files built with go build -buildmode=plugin; open other libraries as native plugins.`,
    );
  }
  try {
    const tc = await goToolchain(goCommand(opts));
    const build = pluginBuild(go, bin.info);
    const flags: BridgeFlags = { ...bridgeFlagsFor(build), ...opts.bridgeFlags };
    const mismatch = explainGoMismatch(build, tc, flags);
    if (mismatch) throw new PluginOpenError(mismatch);
    const note = gatewayPackagesNote(bin);
    if (note) opts.onProgress?.(note);
    const bridge = await ensureBridge(tc, flags, opts.onProgress);
    return { command: bridge.path, args: [`--plugin=${file}`] };
  } catch (err) {
    if (err instanceof GoBridgeError) throw new PluginOpenError(err.message, err.detail);
    throw err;
  }
}

export type GoRole = 'request' | 'response' | 'other';

/**
 * Every export of a Go plugin with its Go type, as plugin.Lookup sees it. Keys are the bare name
 * (`AddHeader`) and, when the bridge knows the plugin's package, the full symbol name
 * (`example.com/plugin.AddHeader`) as the symbol reader lists it.
 */
export async function goSymbolTypes(
  pluginPath: string,
  opts: { goToolchain?: string } = {},
): Promise<Map<string, { goType: string; role: GoRole }>> {
  const launch = await prepareGoHost(pluginPath, opts);
  const ready = await openOnce(launch, pluginPath);
  const out = new Map<string, { goType: string; role: GoRole }>();
  for (const s of ready.goSymbols ?? []) {
    const entry = { goType: s.goType, role: s.role };
    out.set(s.name, entry);
    const full = (s as { goName?: string }).goName;
    if (full) out.set(full, entry);
  }
  return out;
}

/** Starts the bridge, opens the plugin, and stops the bridge after `ready`. */
function openOnce(launch: HostLaunch, pluginPath: string, timeoutMs = 30_000): Promise<ReadyMessage> {
  return new Promise((resolve, reject) => {
    const child = spawn(launch.command, launch.args, {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
      env: { ...process.env, ...launch.env },
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 65536) stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new GoBridgeError(
          `The Go bridge did not open ${path.basename(pluginPath)} within ${timeoutMs / 1000} s.`,
        ),
      );
    }, timeoutMs);
    child.on('message', (m: ReadyMessage | OpenErrorMessage) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (m.t === 'ready') resolve(m);
      else reject(new GoBridgeError(m.message, m.detail ?? null));
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new GoBridgeError(`The Go bridge could not start: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const first = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
      reject(
        new GoBridgeError(
          `The Go bridge stopped while opening ${path.basename(pluginPath)} (${signal ?? `exit code ${code}`})${first ? `: ${first}` : ''}.`,
          stderr || null,
        ),
      );
    });
    child.send({ t: 'open', path: pluginPath, maxOutputBytes: 64 << 20 });
  });
}
