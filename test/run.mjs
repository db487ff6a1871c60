#!/usr/bin/env node
// Runs every test file with Node's test runner (TypeScript through tsx). Node 20's --test takes no
// globs, so the files are collected here. `--fuzz` runs the long fuzz campaigns instead.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const fuzz = process.argv.includes('--fuzz');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function collect(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'bench' && entry.name !== 'node_modules') collect(p, out);
    } else if (fuzz ? entry.name.endsWith('.fuzz.ts') : entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = collect(path.join(root, 'test'), []).sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root, env: { ...process.env, FORCE_COLOR: '0' } },
);
process.exit(res.status ?? 1);
