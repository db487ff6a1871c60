/** The optional manifest of ABI.md (plugin_studio_manifest), read leniently: a bad one is a warning. */
import type { PluginManifest } from './types.js';

export function parseManifest(text: string | null): {
  manifest: PluginManifest | null;
  error: string | null;
} {
  if (text === null) return { manifest: null, error: null };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { manifest: null, error: `plugin_studio_manifest is not JSON (${(err as Error).message})` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { manifest: null, error: 'plugin_studio_manifest must return a JSON object' };
  const o = v as Record<string, unknown>;
  if (!Array.isArray(o.handlers)) return { manifest: null, error: 'the manifest has no "handlers" list' };
  const handlers: PluginManifest['handlers'] = [];
  for (const [i, h] of o.handlers.entries()) {
    const e = h as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || typeof e.symbol !== 'string')
      return { manifest: null, error: `manifest handlers[${i}] needs a "symbol" string` };
    if (e.phase !== 'request' && e.phase !== 'response')
      return { manifest: null, error: `manifest handlers[${i}].phase must be "request" or "response"` };
    handlers.push({
      symbol: e.symbol,
      phase: e.phase,
      ...(typeof e.description === 'string' ? { description: e.description } : {}),
    });
  }
  return {
    manifest: {
      abi: typeof o.abi === 'number' ? o.abi : 1,
      ...(typeof o.name === 'string' ? { name: o.name } : {}),
      ...(typeof o.version === 'string' ? { version: o.version } : {}),
      handlers,
    },
    error: null,
  };
}
