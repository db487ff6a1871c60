#!/usr/bin/env node
// `npm start`: builds what the app needs (engine, renderer, example plugin), then starts Electron.
// The Electron binary is never downloaded here: when it is missing, one sentence says how to get it.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');

/** The Electron executable, from the file its installer writes; null when it was never downloaded. */
export function electronBinary() {
  try {
    const rel = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
    const bin = path.join(electronDir, 'dist', rel);
    return rel && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function npm(script) {
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`npm start: \`npm run ${script}\` failed.`);
    process.exit(r.status ?? 1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bin = electronBinary();
  if (!bin) {
    console.error(
      'npm start: the Electron binary is not installed (node_modules/electron/dist is missing); ' +
        'get it with `node node_modules/electron/install.js`, or use `npm run serve` to run the studio in a browser.',
    );
    process.exit(1);
  }
  // `npm start` already ran `npm run build` (the engine); the UI and the example plugin remain.
  npm('build:renderer');
  npm('build:examples');
  const child = spawn(bin, [path.join(root, 'dist', 'electron', 'main.js'), ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}
