/**
 * Pure rules of the Go bridge: Tyk's plugin file naming (the cases of Tyk's own
 * goplugin/plugin_name_builder_test.go) and the mismatch sentences for every kind of difference.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { resolveTykPluginPath, goOsArch } from '../../src/runner/tyk-naming.js';
import {
  bridgeFlagsFor,
  explainGoMismatch,
  pluginBuild,
  type GoToolchain,
  type PluginBuild,
} from '../../src/runner/go-mismatch.js';
import type { GoBuildInfo } from '../../src/binary/types.js';

const osArch = 'linux_amd64';
const exists = (files: string[]) => (p: string) => files.includes(path.basename(p));
const opts = (files: string[]) => ({ goos: 'linux', goarch: 'amd64', exists: exists(files) });

test('Tyk naming: the plain name wins when it exists', () => {
  const r = resolveTykPluginPath(
    '/p/myplugin.so',
    'v4.1.0',
    opts(['myplugin.so', `myplugin_v4.1.0_${osArch}.so`]),
  );
  assert.equal(r.path, '/p/myplugin.so');
  assert.equal(r.exists, true);
});

test('Tyk naming: {name}_{version}_{os}_{arch}.so, the -rc suffix dropped', () => {
  const r = resolveTykPluginPath('/p/myplugin.so', 'v4.1.0-rc16', opts([`myplugin_v4.1.0_${osArch}.so`]));
  assert.equal(r.path, `/p/myplugin_v4.1.0_${osArch}.so`);
  assert.match(r.message, /^Loading myplugin_v4\.1\.0_linux_amd64\.so: myplugin\.so does not exist/);
});

test('Tyk naming: a version without v tries the bare version first, then v-prefixed', () => {
  const bare = resolveTykPluginPath(
    '/p/myplugin.so',
    '4.1.0',
    opts([`myplugin_4.1.0_${osArch}.so`, `myplugin_v4.1.0_${osArch}.so`]),
  );
  assert.equal(bare.path, `/p/myplugin_4.1.0_${osArch}.so`);
  const prefixed = resolveTykPluginPath('/p/myplugin.so', '4.1.0', opts([`myplugin_v4.1.0_${osArch}.so`]));
  assert.equal(prefixed.path, `/p/myplugin_v4.1.0_${osArch}.so`);
  assert.deepEqual(
    prefixed.tried.map((t) => path.basename(t)),
    ['myplugin.so', `myplugin_4.1.0_${osArch}.so`, `myplugin_v4.1.0_${osArch}.so`],
  );
});

test('Tyk naming: nothing found names every file tried', () => {
  const r = resolveTykPluginPath('/p/myplugin.so', '5.3.0', opts([]));
  assert.equal(r.exists, false);
  assert.equal(
    r.message,
    `No plugin file for Tyk 5.3.0: tried myplugin.so, then myplugin_5.3.0_${osArch}.so, then myplugin_v5.3.0_${osArch}.so in /p.`,
  );
});

test("Go's names for Node's platforms", () => {
  assert.deepEqual(goOsArch('linux', 'x64'), { goos: 'linux', goarch: 'amd64' });
  assert.deepEqual(goOsArch('darwin', 'arm64'), { goos: 'darwin', goarch: 'arm64' });
  assert.deepEqual(goOsArch('win32', 'ia32'), { goos: 'windows', goarch: '386' });
});

const tc: GoToolchain = {
  go: 'go',
  version: 'go1.19.8',
  goos: 'linux',
  goarch: 'amd64',
  goroot: '/usr/lib/go-1.19',
  cgo: true,
  cc: 'gcc',
};
const build = (b: Partial<PluginBuild>): PluginBuild => ({
  version: 'go1.19.8',
  goos: 'linux',
  goarch: 'amd64',
  race: false,
  trimpath: false,
  tags: null,
  cgo: null,
  ...b,
});
const flags = { race: false, trimpath: false, tags: [] as string[] };

test('mismatch: none when the bridge matches', () => {
  assert.equal(explainGoMismatch(build({}), tc, flags), null);
  assert.equal(explainGoMismatch(build({ race: null, trimpath: null, version: null }), tc, flags), null);
});

test('mismatch: another Go release and -trimpath, with both fixes', () => {
  assert.equal(
    explainGoMismatch(build({ version: 'go1.22.3', trimpath: true }), tc, { ...flags, trimpath: true }),
    'Cannot load this Go plugin: plugin built with go1.22.3 and -trimpath; your toolchain is go1.19.8: install go1.22.3 and set goToolchain (or PATH) to its go command, or rebuild the plugin with go1.19.8: go build -buildmode=plugin -trimpath.',
  );
});

test('mismatch: -race on one side only', () => {
  assert.equal(
    explainGoMismatch(build({ race: true }), tc, flags),
    "Cannot load this Go plugin: plugin built with go1.19.8 and -race; your toolchain is go1.19.8 and the bridge is built without flags: rebuild the plugin without -race (go build -buildmode=plugin), or stop pinning the bridge's flags so the studio builds a bridge with -race.",
  );
});

test('mismatch: build tags, another platform, no cgo, no race support', () => {
  assert.match(
    explainGoMismatch(build({ tags: ['netgo'] }), tc, flags) ?? '',
    /plugin built with go1\.19\.8 and -tags netgo; .*rebuild the plugin without build tags/,
  );
  assert.match(
    explainGoMismatch(build({ goarch: 'arm64' }), tc, flags) ?? '',
    /built for linux\/arm64, but this machine's Go builds for linux\/amd64; .*rebuild the plugin for linux\/amd64/,
  );
  assert.match(
    explainGoMismatch(build({}), { ...tc, cgo: false }, flags) ?? '',
    /needs cgo, but go has CGO_ENABLED=0/,
  );
  assert.match(
    explainGoMismatch(build({ race: true }), { ...tc, goarch: 'riscv64' }, { ...flags, race: true }) ?? '',
    /-race, which go1\.19\.8 does not support on linux\/riscv64/,
  );
});

test("the plugin's build read from its Go build info; the bridge takes its flags", () => {
  const go: GoBuildInfo = {
    version: 'go1.21.0',
    versionSource: 'buildinfo',
    path: 'x',
    main: null,
    deps: [],
    settings: [
      ['-tags', 'b,a'],
      ['-trimpath', 'true'],
      ['CGO_ENABLED', '1'],
      ['GOOS', 'linux'],
      ['GOARCH', 'amd64'],
    ],
    buildMode: 'plugin',
    isPlugin: true,
    trimpath: true,
  };
  const b = pluginBuild(go, { os: 'linux', arch: 'x64' });
  assert.deepEqual(b, {
    version: 'go1.21.0',
    goos: 'linux',
    goarch: 'amd64',
    race: false,
    trimpath: true,
    tags: ['a', 'b'],
    cgo: true,
  });
  assert.deepEqual(bridgeFlagsFor(b), { race: false, trimpath: true, tags: ['a', 'b'] });
  const noInfo = pluginBuild(
    {
      ...go,
      settings: [],
      compiler: { producer: 'p', version: 'go1.19.8', flags: ['-race', '-shared'] },
      trimpath: null,
    },
    { os: 'linux', arch: 'x64' },
  );
  assert.equal(noInfo.race, true);
  assert.equal(noInfo.tags, null);
  assert.equal(noInfo.trimpath, null);
});
