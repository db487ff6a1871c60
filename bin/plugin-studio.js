#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build:engine` (run by `npm ci` through `prepare`).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`plugin-studio: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
