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
import { gatewayNote, gatewayPackages, gatewayWorkspace } from './gobridge-gateway.js';
import { resolveTykPluginPath } from './tyk-naming.js';
import type { HostLaunch, PluginSessionOptions } from './types.js';

export { GoBridgeError } from './gobridge-build.js';

export interface GoHostOptions extends PluginSessionOptions {
  /**
   * Build the bridge with these flags instead of the plugin's own, for a bridge that must stay
   * fixed (a gateway's exact build). A plugin built otherwise is then refused before loading.
   */
  bridgeFlags?: Partial<BridgeFlags>;
  /** A Tyk gateway checkout to build the bridge with (default $PLUGIN_STUDIO_TYK_GATEWAY). */
  tykGateway?: string;
}

/** The go command: the option, then $PLUGIN_STUDIO_GO, then `go` on PATH. */
export function goCommand(opts: { goToolchain?: string } = {}): string {
  return opts.goToolchain ?? process.env.PLUGIN_STUDIO_GO ?? 'go';
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
    // Only Go facts and symbol names are needed here: no demangling.
    bin = openBinary(file, { demangle: false });
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
    const pkgs = gatewayPackages(bin);
    const ws = pkgs.length ? gatewayWorkspace(opts) : null;
    if (pkgs.length && !ws) opts.onProgress?.(gatewayNote(pkgs));
    if (ws)
      opts.onProgress?.(
        `Building the Go bridge inside a Go workspace with the Tyk gateway checkout ${ws.checkout}, so the plugin's ctx.GetSession and ctx.GetDefinition see the fixture config's tyk_session and tyk_api_definition.`,
      );
    const bridge = await ensureBridge(tc, flags, opts.onProgress, ws);
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
