// Builds the plugins that tests load (the examples and the crash-matrix plugins of test/plugins/)
// from source into build/plugins/, cached by content hash. The compiling itself lives in
// scripts/build-examples.mjs so that `npm run build:examples` and the tests share one recipe book.
import path from 'node:path';
import type { TestContext } from 'node:test';
import { hasTool, requireTool } from './tools.js';

type Kind = 'c-shared' | 'go-cshared' | 'c-exe';

interface Recipe {
  name: string;
  kind: Kind;
  dir: string;
  sources?: string[];
  cflags?: string[];
  libs?: string[];
  vanishingDep?: { name: string; source: string };
  file: string;
}

interface Builder {
  ROOT: string;
  EXAMPLES: Recipe[];
  TOOLCHAINS: Record<Kind, { cmd: string; pkg: string }>;
  buildRecipe(recipe: Recipe, outDir?: string): Promise<string>;
}

// A plain .mjs module without type declarations: imported through a variable so that TypeScript
// takes the shape declared above instead of failing on the missing declaration file.
const BUILDER_URL = new URL('../../scripts/build-examples.mjs', import.meta.url).href;
let builder: Promise<Builder> | undefined;
function loadBuilder(): Promise<Builder> {
  builder ??= import(BUILDER_URL) as Promise<Builder>;
  return builder;
}

const C_PLUGINS = 'test/plugins/c';

const TEST_RECIPES: Recipe[] = [
  // Every native failure next to healthy handlers (Ok, Echo, Sleep, Return64K): see crash.c.
  { name: 'crash-c', kind: 'c-shared', dir: C_PLUGINS, sources: ['crash.c'], file: 'libcrash-c.so' },
  // Exports plugin_studio_abi_version and a handler but no plugin_studio_free: a load error.
  { name: 'no-free', kind: 'c-shared', dir: C_PLUGINS, sources: ['no-free.c'], file: 'libno-free.so' },
  // Needs libps_vanished.so, deleted after the link: a load diagnostic.
  {
    name: 'missing-dep',
    kind: 'c-shared',
    dir: C_PLUGINS,
    sources: ['missing-dep.c'],
    vanishingDep: { name: 'ps_vanished', source: 'vanished.c' },
    file: 'libmissing-dep.so',
  },
  // No plugin_studio_* exports at all: symbols listed, calls at the user's risk.
  { name: 'plain', kind: 'c-shared', dir: C_PLUGINS, sources: ['plain.c'], file: 'libplain.so' },
  // Go c-shared failures (recovered and raw panics, goroutine panic, fatal error, os.Exit) + Ok.
  { name: 'crash-go', kind: 'go-cshared', dir: 'test/plugins/go/crash', file: 'libcrash-go.so' },
  // The benchmark baseline: dlopens a plugin and calls one handler in a loop (test/bench/native-loop.c).
  {
    name: 'native-loop',
    kind: 'c-exe',
    dir: 'test/bench',
    sources: ['native-loop.c'],
    libs: ['-ldl'],
    file: 'native-loop',
  },
];

/** Every name buildPlugin() accepts. */
export const PLUGIN_NAMES = [
  'example-c',
  'example-go',
  'crash-c',
  'no-free',
  'missing-dep',
  'plain',
  'crash-go',
  'native-loop',
] as const;
export type PluginName = (typeof PLUGIN_NAMES)[number];

async function recipeFor(name: PluginName): Promise<{ recipe: Recipe; b: Builder }> {
  const b = await loadBuilder();
  const recipe = [...b.EXAMPLES, ...TEST_RECIPES].find((r) => r.name === name);
  if (!recipe) throw new Error(`unknown plugin "${name}"; known: ${PLUGIN_NAMES.join(', ')}`);
  return { recipe, b };
}

/** The toolchain a plugin needs: `{ cmd: 'go', pkg: 'golang-go' }`. */
export async function toolchainFor(name: PluginName): Promise<{ cmd: string; pkg: string }> {
  const { recipe, b } = await recipeFor(name);
  return b.TOOLCHAINS[recipe.kind];
}

/**
 * Compiles a named plugin (or the native-loop program) and returns the absolute path of the
 * result. Cached by content hash: a second run, or a second process, reuses the same file. Throws a
 * one-sentence error when the toolchain is missing or the build fails.
 */
export async function buildPlugin(name: PluginName): Promise<string> {
  const { recipe, b } = await recipeFor(name);
  const tool = b.TOOLCHAINS[recipe.kind];
  if (!hasTool(tool.cmd, tool.cmd === 'go' ? 'version' : '--version'))
    throw new Error(`${tool.cmd} not found (Debian package ${tool.pkg}): cannot build ${name}`);
  return b.buildRecipe(recipe, path.join(b.ROOT, 'build', 'plugins'));
}

/**
 * buildPlugin() with requireTool semantics: null (and the test skipped) when the toolchain is
 * missing on a developer machine; under CI=true a missing toolchain fails the test.
 */
export async function requirePlugin(t: TestContext, name: PluginName): Promise<string | null> {
  const tool = await toolchainFor(name);
  if (!requireTool(t, tool.cmd, tool.pkg, tool.cmd === 'go' ? 'version' : '--version')) return null;
  return buildPlugin(name);
}

/**
 * For before() hooks, which cannot skip: the built plugin, or null when its toolchain is missing
 * on a developer machine (the tests then skip themselves). Under CI=true a missing toolchain
 * throws, as requireTool does.
 */
export async function optionalPlugin(name: PluginName): Promise<string | null> {
  const tool = await toolchainFor(name);
  if (!hasTool(tool.cmd, tool.cmd === 'go' ? 'version' : '--version')) {
    if (process.env.CI === 'true')
      throw new Error(`${tool.cmd} not found (Debian package ${tool.pkg}): CI must install it (.ci/run)`);
    return null;
  }
  return buildPlugin(name);
}
