#!/usr/bin/env node
// Builds the example plugins (examples/) from source into build/examples/ and prints where they
// are. Plain Node, no dependencies: `npm run build:examples`, `npm run serve` and the tests use it.
//
// It is also the one place that knows how to compile a plugin recipe: test/helpers/plugins.ts
// imports buildRecipe() for the crash-matrix plugins. Builds are cached by a hash of their inputs
// (sources, SDK, flags, toolchain version) and land by rename, so two processes building the
// same recipe at once both end with a complete file.
import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} Recipe
 * @property {string} name        what callers ask for (`example-c`)
 * @property {'c-shared' | 'go-cshared' | 'c-exe'} kind
 * @property {string} dir         source directory, relative to the project root
 * @property {string[]} [sources] C sources, relative to dir (c-shared, c-exe)
 * @property {string[]} [cflags]  extra compiler flags
 * @property {string[]} [libs]    extra linker arguments (`-lcjson`)
 * @property {{ name: string, source: string }} [vanishingDep] C source (relative to dir) of a
 *   library `lib<name>.so` that the plugin links against and that is deleted after the link
 * @property {string} file        output file name (`libexample-c.so`)
 * @property {string[]} [bundle]  shared libraries it needs that build/examples/ carries next to
 *   it (found with `gcc -print-file-name`), so that a packaged app runs it without them installed
 */

/** Which toolchain each kind needs, with the Debian package that provides it. */
export const TOOLCHAINS = {
  'c-shared': { cmd: 'gcc', pkg: 'gcc' },
  'c-exe': { cmd: 'gcc', pkg: 'gcc' },
  'go-cshared': { cmd: 'go', pkg: 'golang-go' },
};

/** @type {Recipe[]} */
export const EXAMPLES = [
  {
    name: 'example-c',
    kind: 'c-shared',
    dir: 'examples/c',
    sources: ['example.c'],
    // $ORIGIN first: the bundled libcjson.so.1 next to the example (see buildExamples).
    libs: ['-lcjson', '-Wl,-rpath,$ORIGIN'],
    bundle: ['libcjson.so.1'],
    file: 'libexample-c.so',
  },
  {
    name: 'example-go',
    kind: 'go-cshared',
    dir: 'examples/go-cshared',
    file: 'libexample-go.so',
  },
];

const C_FLAGS = ['-shared', '-fPIC', '-fvisibility=hidden', '-O2', '-g', '-Wall', '-Wextra', '-Werror'];
const SDK_C = 'sdk/c';
const SDK_GO = 'sdk/go';

/** Runs a command; rejects with its stderr as the message. */
function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024, ...options }, (err, stdout, stderr) => {
      if (err) {
        const why = err.code === 'ENOENT' ? `${cmd} is not installed` : String(stderr || err.message).trim();
        reject(new Error(`${cmd} ${args.join(' ')} failed: ${why}`));
      } else resolve(String(stdout));
    });
  });
}

function listFiles(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

const toolVersions = new Map();
function toolVersion(cmd) {
  if (!toolVersions.has(cmd)) toolVersions.set(cmd, run(cmd, [cmd === 'go' ? 'version' : '--version']));
  return toolVersions.get(cmd);
}

/** The environment for `go build`: modules only, never the network, a cache even without $HOME. */
export function goEnv() {
  const env = {
    ...process.env,
    CGO_ENABLED: '1',
    GO111MODULE: 'on',
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOWORK: 'off',
  };
  if (!env.GOCACHE && !env.HOME && !env.XDG_CACHE_HOME) env.GOCACHE = path.join(ROOT, 'build', 'go-cache');
  return env;
}

/** Hash of everything that decides the output: the recipe, its inputs and the toolchain version. */
export async function recipeHash(recipe) {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify(recipe));
  h.update(JSON.stringify(C_FLAGS));
  h.update(await toolVersion(TOOLCHAINS[recipe.kind].cmd));
  const dirs = [recipe.dir, recipe.kind === 'go-cshared' ? SDK_GO : SDK_C];
  for (const dir of dirs) {
    for (const file of listFiles(path.join(ROOT, dir)).sort()) {
      h.update(path.relative(ROOT, file));
      h.update('\0');
      h.update(fs.readFileSync(file));
    }
  }
  return h.digest('hex').slice(0, 16);
}

/** Compiles a recipe into `output` (written under a temporary name, then renamed). */
export async function compileRecipe(recipe, output) {
  const src = path.join(ROOT, recipe.dir);
  const outDir = path.dirname(output);
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(outDir, `.${recipe.name}-`));
  try {
    const tmp = path.join(work, recipe.file);
    const cflags = [...(recipe.cflags ?? []), `-I${path.join(ROOT, SDK_C)}`];
    const sources = (recipe.sources ?? []).map((s) => path.join(src, s));
    if (recipe.kind === 'c-shared') {
      const link = [...(recipe.libs ?? [])];
      if (recipe.vanishingDep) {
        const dep = recipe.vanishingDep;
        const depDir = path.join(work, 'dep');
        fs.mkdirSync(depDir);
        await run('gcc', [
          ...C_FLAGS,
          ...cflags,
          '-o',
          path.join(depDir, `lib${dep.name}.so`),
          path.join(src, dep.source),
        ]);
        // A runpath gives the load diagnostics a place to name where the library was looked for.
        link.push(`-L${depDir}`, `-l${dep.name}`, '-Wl,-rpath,$ORIGIN/missing-deps');
      }
      await run('gcc', [...C_FLAGS, ...cflags, '-o', tmp, ...sources, ...link]);
    } else if (recipe.kind === 'c-exe') {
      const flags = C_FLAGS.filter((f) => f !== '-shared' && f !== '-fPIC' && f !== '-fvisibility=hidden');
      await run('gcc', [...flags, ...cflags, '-o', tmp, ...sources, ...(recipe.libs ?? [])]);
    } else {
      await run('go', ['build', '-buildmode=c-shared', '-o', tmp, '.'], { cwd: src, env: goEnv() });
    }
    fs.renameSync(tmp, output);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return output;
}

const inFlight = new Map();

/**
 * Builds a recipe into `<outDir>/<name>-<hash>/<file>` unless that exact build exists already;
 * returns its path. Concurrent calls in one process share one build.
 */
export async function buildRecipe(recipe, outDir = path.join(ROOT, 'build', 'plugins')) {
  const hash = await recipeHash(recipe);
  const output = path.join(outDir, `${recipe.name}-${hash}`, recipe.file);
  if (fs.existsSync(output)) return output;
  let pending = inFlight.get(output);
  if (!pending) {
    pending = compileRecipe(recipe, output).finally(() => inFlight.delete(output));
    inFlight.set(output, pending);
  }
  return pending;
}

function copyByRename(from, to) {
  const tmp = `${to}.${process.pid}.tmp`;
  fs.copyFileSync(from, tmp);
  fs.renameSync(tmp, to);
}

function hasTool(cmd) {
  return spawnSync(cmd, [cmd === 'go' ? 'version' : '--version'], { stdio: 'ignore' }).error === undefined;
}

/**
 * Builds every example and copies it to `<outDir>/<file>` (by rename, so a running host keeps its
 * copy). An example whose toolchain is missing is skipped with the reason, unless CI=true.
 */
export async function buildExamples(outDir = path.join(ROOT, 'build', 'examples')) {
  const built = [];
  for (const recipe of EXAMPLES) {
    const tool = TOOLCHAINS[recipe.kind];
    if (!hasTool(tool.cmd)) {
      const why = `${tool.cmd} not found (Debian package ${tool.pkg})`;
      if (process.env.CI === 'true') throw new Error(`cannot build ${recipe.name}: ${why}`);
      built.push({ name: recipe.name, path: null, skipped: why });
      continue;
    }
    const cached = await buildRecipe(recipe);
    const target = path.join(outDir, recipe.file);
    fs.mkdirSync(outDir, { recursive: true });
    copyByRename(cached, target);
    for (const lib of recipe.bundle ?? []) {
      const found = (await run('gcc', [`-print-file-name=${lib}`])).trim();
      if (!path.isAbsolute(found)) throw new Error(`${recipe.name} needs ${lib}, which is not installed`);
      copyByRename(fs.realpathSync(found), path.join(outDir, lib));
    }
    built.push({ name: recipe.name, path: target, skipped: null });
  }
  return built;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const { name, path: p, skipped } of await buildExamples())
      console.log(p ? `${name}: ${path.relative(process.cwd(), p)}` : `${name}: skipped, ${skipped}`);
  } catch (err) {
    console.error(`build-examples: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
