/**
 * The engine's plugin runner: `openPlugin` opens a plugin in its own host process and returns a
 * PluginSession. Used by the CLI, the studio service and fixture replay.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BinaryFile } from '../binary/types.js';
import { nodeHostLaunch } from './host-launch.js';
import { explainLoadError, precheck } from './load-diagnostics.js';
import type { ReadyMessage } from './protocol.js';
import { HostSupervisor, PluginOpenError } from './session.js';
import type {
  HandlerInfo,
  HostLaunch,
  PluginDescription,
  PluginSession,
  PluginSessionOptions,
} from './types.js';

export { PluginOpenError } from './session.js';
export { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS } from './session.js';
export { buildEnvelope, encodeBody, decodeBody, InputError } from './envelope.js';
export { spawnChildHost } from './spawn.js';

interface Probe {
  file: BinaryFile | null;
  /** The symbol reader's sentence when the file is not a binary it knows. */
  notBinary: string | null;
}

async function probe(pluginPath: string): Promise<Probe> {
  const { openBinary } = await import('../binary/index.js');
  try {
    return { file: await openBinary(pluginPath), notBinary: null };
  } catch (err) {
    return { file: null, notBinary: err instanceof Error ? err.message : String(err) };
  }
}

/** Exported functions a user may call when the plugin has no manifest. */
function candidates(file: BinaryFile | null): HandlerInfo[] {
  if (!file) return [];
  return file.symbols
    .filter((s) => s.defined && s.kind === 'func' && s.binding !== 'local' && s.abi === null && !s.noise)
    .filter((s) => s.source !== 'symtab' && s.source !== 'imports')
    .map((s) => ({ symbol: s.name, phase: null }));
}

function describe(pluginPath: string, file: BinaryFile | null, ready: ReadyMessage): PluginDescription {
  const handlers = ready.manifest || ready.kind === 'go-plugin' ? ready.handlers : candidates(file);
  return {
    path: pluginPath,
    kind: ready.kind,
    studioAbi: ready.studioAbi,
    abiVersion: ready.abiVersion,
    manifest: ready.manifest,
    handlers,
    ...(ready.warnings?.length ? { warnings: ready.warnings } : {}),
  };
}

/**
 * Opens a plugin: checks the file, starts its host process and loads the library there. Rejects
 * with PluginOpenError (a sentence for the user) when the plugin cannot be loaded. `read`: the file
 * as the caller has just read it with openBinary (imports may be included), so that it is not read
 * a second time; a reload after the file changed reads it again.
 */
export async function openPlugin(
  pluginPath: string,
  options: PluginSessionOptions = {},
  read?: BinaryFile,
): Promise<PluginSession> {
  const abs = path.resolve(pluginPath);
  // Tyk names Go plugins per gateway version (name_v5.3.0_linux_amd64.so); the Go bridge resolves that.
  if (options.gatewayVersion && !fs.existsSync(abs)) return openGoPlugin(abs, options, null);
  if (!fs.existsSync(abs)) throw new PluginOpenError(`There is no file at ${abs}.`);
  try {
    fs.accessSync(abs, fs.constants.R_OK);
  } catch {
    throw new PluginOpenError(`${path.basename(abs)} cannot be read: permission denied.`);
  }
  const p: Probe = read ? { file: read, notBinary: null } : await probe(abs);
  if (p.notBinary) throw new PluginOpenError(explainLoadError(abs, null, null, p.notBinary));
  const pre = p.file ? precheck(p.file.info) : null;
  if (pre) throw new PluginOpenError(pre);

  if (p.file?.info.go?.isPlugin) return openGoPlugin(abs, options, p);
  return supervise(abs, options, p, nodeHostLaunch);
}

async function openGoPlugin(
  abs: string,
  options: PluginSessionOptions,
  p: Probe | null,
): Promise<PluginSession> {
  const { prepareGoHost } = await import('./gobridge.js');
  // The bridge is prepared again only when the plugin file changed (a reload after a rebuild):
  // restarts after a crash reuse it.
  let prepared = { stamp: stamp(abs), launch: await prepareGoHost(abs, options) };
  const launch = async (): Promise<HostLaunch> => {
    const now = stamp(abs);
    if (now !== prepared.stamp) prepared = { stamp: now, launch: await prepareGoHost(abs, options) };
    return prepared.launch;
  };
  return supervise(abs, options, p ?? { file: null, notBinary: null }, launch);
}

function supervise(
  abs: string,
  options: PluginSessionOptions,
  probed: Probe,
  launch: () => Promise<HostLaunch>,
): Promise<PluginSession> {
  let p = probed;
  let probedStamp = stamp(abs);
  return HostSupervisor.open({
    path: abs,
    launch,
    describe: async (ready) => {
      // A reload reads the library again, and a rebuilt library may export other symbols.
      const now = stamp(abs);
      if (now !== probedStamp) {
        p = await probe(abs);
        probedStamp = now;
      }
      return describe(abs, p.file, ready);
    },
    explainOpenError: (message, detail) =>
      Promise.resolve(detail ? explainLoadError(abs, detail, p.file?.info ?? null) : message),
    options,
  });
}

function stamp(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return 'missing';
  }
}
