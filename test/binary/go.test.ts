/**
 * Go build info read from binaries built at test time with Debian's Go: a -buildmode=plugin file
 * (no build info in Go 1.19: version from DWARF, -race and -trimpath detected), a c-shared library
 * and executables with modules, replaced dependencies, tags and -trimpath, cross-built Mach-O and
 * PE files, a runtime.buildVersion fallback, the pre-1.18 pointer layout, and a fast fuzz subset.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import { openBinary, readElf, readGoBuildInfo, BufferSource } from '../../src/binary/index.js';
import type { BinaryFile } from '../../src/binary/types.js';
import { parseModInfo } from '../../src/binary/go.js';
import { fuzzGoInfo } from './go-fuzz.js';
import { requireTool } from '../helpers/tools.js';
import { buildGoModule, buildGoTykPlugin, goVersion } from '../plugins/go-tyk/build.js';

const EXE_FILES = {
  'go.mod':
    'module example.com/studio-exe\n\ngo 1.18\n\nrequire example.com/dep v1.2.3\n\nreplace example.com/dep v1.2.3 => ./dep\n',
  'main.go':
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/dep"\n)\n\nfunc main() { fmt.Println(dep.Hello()) }\n',
  'dep/go.mod': 'module example.com/dep\n\ngo 1.18\n',
  'dep/dep.go': 'package dep\n\nfunc Hello() string { return "hello" }\n',
};

const CSHARED_FILES = {
  'go.mod': 'module example.com/studio-cshared\n\ngo 1.18\n',
  'main.go':
    'package main\n\nimport "C"\n\n//export Hello\nfunc Hello() C.int { return 1 }\n\nfunc main() {}\n',
};

test('a Go plugin: version from DWARF, build mode, flags, export names', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const version = goVersion();
  const file = openBinary(buildGoTykPlugin('plain'));
  const go = file.info.go;
  assert.ok(go);
  assert.equal(go.isPlugin, true);
  assert.equal(go.buildMode, 'plugin');
  assert.equal(go.version, version);
  // Go 1.19 writes no build info for plugins and the plugin does not keep runtime.buildVersion.
  assert.equal(go.versionSource, 'none');
  assert.match(go.compiler?.producer ?? '', new RegExp(`^Go cmd/compile ${version.replace(/\./g, '\\.')}`));
  assert.ok(go.compiler?.flags.includes('-dynlink'));
  assert.ok(!go.compiler?.flags.includes('-race'));
  assert.equal(go.trimpath, false);
  const names = file.symbols
    .filter((s) => s.goName?.startsWith('example.com/tyk-test-plugin.'))
    .map((s) => s.goName);
  for (const n of ['AddHeader', 'RejectJSON', 'StripServer', 'Counter', 'Double']) {
    assert.ok(names.includes(`example.com/tyk-test-plugin.${n}`), `${n} missing from ${names.join(', ')}`);
  }
});

test('a Go plugin built with -trimpath or -race says so', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const trimmed = openBinary(buildGoTykPlugin('trimpath')).info.go;
  assert.equal(trimmed?.trimpath, true);
  assert.equal(trimmed?.isPlugin, true);
  const race = openBinary(buildGoTykPlugin('race')).info.go;
  assert.ok(race?.compiler?.flags.includes('-race'));
  assert.equal(race?.trimpath, false);
});

test('a c-shared library: build info with module path, tags and -trimpath', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const so = buildGoModule(
    'cshared',
    CSHARED_FILES,
    ['-buildmode=c-shared', '-trimpath', '-tags', 'studio,extra', '.'],
    'cshared.so',
  );
  const go = openBinary(so).info.go;
  assert.ok(go);
  assert.equal(go.version, goVersion());
  assert.equal(go.versionSource, 'buildinfo');
  assert.equal(go.path, 'example.com/studio-cshared');
  assert.deepEqual(go.main, { path: 'example.com/studio-cshared', version: '(devel)' });
  assert.equal(go.buildMode, 'c-shared');
  assert.equal(go.isPlugin, false);
  assert.equal(go.trimpath, true);
  const settings = Object.fromEntries(go.settings);
  assert.equal(settings['-tags'], 'studio,extra');
  assert.equal(settings['-trimpath'], 'true');
  assert.equal(settings.CGO_ENABLED, '1');
  assert.equal(settings.GOOS, 'linux');
});

test('an executable: dependencies with replacements, as `go version -m` prints them', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const exe = buildGoModule('exe', EXE_FILES, ['.'], 'studio-exe');
  const go = openBinary(exe).info.go;
  assert.ok(go);
  assert.equal(go.buildMode, 'exe');
  assert.equal(go.path, 'example.com/studio-exe');
  assert.deepEqual(go.deps, [
    { path: 'example.com/dep', version: 'v1.2.3', replace: { path: './dep', version: '(devel)' } },
  ]);
  // The outside oracle: the go command's own reading of the same file.
  const oracle = execFileSync('go', ['version', '-m', exe], { encoding: 'utf8' });
  assert.match(oracle, /dep\texample\.com\/dep\tv1\.2\.3/);
  for (const [k, v] of go.settings)
    assert.ok(
      oracle.includes(`build\t${k}=${v}`) || oracle.includes(`build\t${k}="${v}"`),
      `${k}=${v} not in go version -m output`,
    );
});

test('cross-built Mach-O (__go_buildinfo) and PE (magic in .data) executables', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const files = {
    'go.mod': 'module example.com/cross\n\ngo 1.18\n',
    'main.go': 'package main\n\nfunc main() { println("hi") }\n',
  };
  const macho = buildGoModule('cross', files, ['.'], 'cross-darwin-arm64', {
    GOOS: 'darwin',
    GOARCH: 'arm64',
    CGO_ENABLED: '0',
  });
  const pe = buildGoModule('cross', files, ['.'], 'cross-windows.exe', {
    GOOS: 'windows',
    GOARCH: 'amd64',
    CGO_ENABLED: '0',
  });
  const m = openBinary(macho);
  assert.equal(m.info.format, 'macho');
  assert.equal(m.info.go?.version, goVersion());
  assert.equal(m.info.go?.path, 'example.com/cross');
  assert.ok(m.info.go?.settings.some(([k, v]) => k === 'GOOS' && v === 'darwin'));
  const p = openBinary(pe);
  assert.equal(p.info.format, 'pe');
  assert.equal(p.info.go?.version, goVersion());
  assert.ok(p.info.go?.settings.some(([k, v]) => k === 'GOOS' && v === 'windows'));
});

test('without the build info blob the version comes from runtime.buildVersion', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const exe = buildGoModule('exe', EXE_FILES, ['.'], 'studio-exe');
  const bytes = Buffer.from(fs.readFileSync(exe));
  const magic = bytes.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
  assert.ok(magic > 0);
  bytes.fill(0, magic, magic + 14);
  const src = new BufferSource(bytes);
  const file = readElf(src, exe, { all: true });
  const go = readGoBuildInfo(src, file);
  assert.equal(go?.version, goVersion());
  assert.equal(go?.versionSource, 'runtime.buildVersion');
});

/** A synthetic file in the pre-1.18 layout: pointers to string headers, followed into .data. */
function oldLayout(bits: 32 | 64, big: boolean): { src: BufferSource; file: BinaryFile } {
  const ptr = bits / 8;
  const buf = Buffer.alloc(512);
  const base = 0x10000;
  const put = (off: number, v: number): void => {
    if (ptr === 8) {
      if (big) buf.writeBigUInt64BE(BigInt(v), off);
      else buf.writeBigUInt64LE(BigInt(v), off);
    } else if (big) buf.writeUInt32BE(v, off);
    else buf.writeUInt32LE(v, off);
  };
  buf.write('\xff Go buildinf:', 0, 'latin1');
  buf[14] = ptr;
  buf[15] = big ? 1 : 0;
  put(16, base + 64); // version string header
  put(16 + ptr, base + 96); // modinfo string header
  const version = 'go1.16.15';
  const mod =
    '0123456789abcdef' +
    'path\texample.com/old\nmod\texample.com/old\t(devel)\t\nbuild\t-compiler=gc\n' +
    '\n' +
    '0123456789abcde';
  buf.write(version, 128, 'utf8');
  buf.write(mod, 160, 'utf8');
  put(64, base + 128);
  put(64 + ptr, version.length);
  put(96, base + 160);
  put(96 + ptr, Buffer.byteLength(mod));
  const file: BinaryFile = {
    info: {
      format: 'elf',
      bits,
      endian: big ? 'big' : 'little',
      fileType: 'executable',
    } as BinaryFile['info'],
    symbols: [],
    sections: [{ name: '.go.buildinfo', offset: 0, size: 512, addr: base, hasBytes: true }],
  };
  return { src: new BufferSource(buf), file };
}

test('the pre-1.18 pointer layout, 32/64-bit, both byte orders', () => {
  for (const bits of [32, 64] as const) {
    for (const big of [false, true]) {
      const { src, file } = oldLayout(bits, big);
      const go = readGoBuildInfo(src, file);
      assert.equal(go?.version, 'go1.16.15', `${bits}-bit ${big ? 'big' : 'little'}`);
      assert.equal(go?.path, 'example.com/old');
      assert.deepEqual(go?.settings, [['-compiler', 'gc']]);
    }
  }
});

test('modinfo: quoted settings, replacements, sums', () => {
  const info = parseModInfo(
    [
      'path\texample.com/a',
      'mod\texample.com/a\tv1.0.0\th1:abc=',
      'dep\tgolang.org/x/text\tv0.3.7\th1:xyz=',
      '=>\tgolang.org/x/text\tv0.3.8\th1:new=',
      'build\t-ldflags="-s -w"',
      'build\t"weird key"=value',
      'build\tvcs.modified=true',
    ].join('\n'),
  );
  assert.equal(info.path, 'example.com/a');
  assert.deepEqual(info.main, { path: 'example.com/a', version: 'v1.0.0', sum: 'h1:abc=' });
  assert.deepEqual(info.deps[0]?.replace, { path: 'golang.org/x/text', version: 'v0.3.8', sum: 'h1:new=' });
  assert.deepEqual(info.settings, [
    ['-ldflags', '-s -w'],
    ['weird key', 'value'],
    ['vcs.modified', 'true'],
  ]);
});

test('a non-Go library has no Go build info', () => {
  const libc = '/usr/lib/x86_64-linux-gnu/libc.so.6';
  if (!fs.existsSync(libc)) return;
  assert.equal(openBinary(libc).info.go, null);
});

test('fuzz subset: mutated Go sections never throw anything but FormatError', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const files = [buildGoTykPlugin('plain'), buildGoModule('exe', EXE_FILES, ['.'], 'studio-exe')];
  fuzzGoInfo(files, 150, 7);
});
