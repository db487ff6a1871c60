import fs from 'node:fs';
import path from 'node:path';
import type { CallInput } from '../runner/types.js';
import { packageRoot } from './paths.js';

/** The C example built by scripts/build-examples.mjs (`npm run build:examples`). */
export const DEFAULT_PLUGIN_FILE = 'libexample-c.so';

export function defaultPluginPath(): string {
  return path.join(packageRoot(), 'build', 'examples', DEFAULT_PLUGIN_FILE);
}

/** A request the example's AddHeader handler answers with a visible change: one click shows what a handler does. */
export function exampleRequest(): CallInput {
  return {
    symbol: 'AddHeader',
    phase: 'request',
    request: {
      method: 'POST',
      url: 'http://api.example.com/orders?id=7',
      proto: 'HTTP/1.1',
      remote_addr: '127.0.0.1:51000',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Trace', 'a'],
      ],
      body: '{"qty":1}',
      body_encoding: 'utf8',
    },
    response: null,
    config: { value: 'plugin-studio' },
  };
}

export interface DefaultPlugin {
  path: string;
  available: boolean;
  reason: string | null;
  request: CallInput | null;
}

export function describeDefaultPlugin(file: string): DefaultPlugin {
  if (fs.existsSync(file)) return { path: file, available: true, reason: null, request: exampleRequest() };
  return {
    path: file,
    available: false,
    reason: `The example plugin is not built yet (${file}): run \`npm run build:examples\`.`,
    request: null,
  };
}
