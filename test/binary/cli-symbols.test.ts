/**
 * `plugin-studio symbols` and `plugin-studio info` through the real command line (src/cli/main.ts
 * run by tsx in a child process, exactly as the bin runs the compiled copy): output shape, the
 * same symbols as the library API, and one clear line with a non-zero exit for bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openBinary } from '../../src/binary/open.js';
import type { SymbolRecord } from '../../src/binary/types.js';
import { requireTool } from '../helpers/tools.js';
import { buildCrossLibrary } from './elf-readelf.js';
import { buildPe } from '../helpers/cross.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(ROOT, 'build/test-cli-symbols');
const NODE = fs.realpathSync(process.execPath);
const LIBZ = '/usr/lib/x86_64-linux-gnu/libz.so.1';

function cli(...args: string[]) {
  const entry = `import { main } from ${JSON.stringify(path.join(ROOT, 'src/cli/main.ts'))};
main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}

function oneLineError(r: ReturnType<typeof cli>, pattern: RegExp): void {
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

test('symbols --json: one array with the documented fields, equal to openBinary', () => {
  const r = cli('symbols', '--json', LIBZ);
  assert.equal(r.status, 0, r.stderr);
  const arr = JSON.parse(r.stdout) as SymbolRecord[];
  assert.ok(Array.isArray(arr) && arr.length > 50);
  for (const s of arr) {
    for (const k of [
      'name',
      'demangled',
      'version',
      'kind',
      'binding',
      'visibility',
      'defined',
      'section',
      'address',
      'size',
      'source',
    ]) {
      assert.ok(k in s, `${s.name} has ${k}`);
    }
    assert.match(s.address, /^0x[0-9a-f]+$/);
    assert.ok(!s.name.includes('@'), 'names carry no @VERSION');
    assert.equal(s.defined, true);
  }
  assert.deepEqual(arr, JSON.parse(JSON.stringify(openBinary(LIBZ).symbols)));
  const withImports = JSON.parse(cli('symbols', '--json', '--imports', LIBZ).stdout) as SymbolRecord[];
  assert.ok(withImports.some((s) => !s.defined && s.name === 'free'));
});

test('symbols (table): node, demangled, the same count and names as nm -D -C --defined-only', (t) => {
  if (!requireTool(t, 'nm', 'binutils')) return;
  const r = cli('symbols', NODE);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ADDRESS\s+SIZE\s+KIND\s+BIND\s+NAME$/);
  const nm = spawnSync('nm', ['-D', '-C', '--defined-only', NODE], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const nmLines = nm.stdout.trimEnd().split('\n');
  assert.equal(lines.length - 1, nmLines.length, 'same symbol count as nm');
  // nm's lines: "ADDRESS T name@@VER"; ours: address size kind bind name@@VER. Compare name sets.
  const ours = lines
    .slice(1)
    .map((l) => l.replace(/^\S+\s+\d+\s+\S+\s+\S+\s+/, ''))
    .sort();
  const theirs = nmLines.map((l) => l.slice(19)).sort();
  const differ = ours.filter((x, k) => x !== theirs[k]);
  assert.equal(
    differ.length,
    0,
    `${differ.length} names differ from nm, first: ${differ.slice(0, 3).join(' | ')}`,
  );
});

test('symbols (table): the same rows whether printed from the raw table or from records', (t) => {
  if (!requireTool(t, 'clang-14', 'clang-14')) return;
  const lib = buildCrossLibrary('powerpc64-linux-gnu');
  const table = cli('symbols', '--all', '--imports', lib);
  assert.equal(table.status, 0, table.stderr);
  const json = JSON.parse(cli('symbols', '--json', '--all', '--imports', lib).stdout) as SymbolRecord[];
  const rows = table.stdout.trimEnd().split('\n').slice(1);
  assert.equal(rows.length, json.length);
  rows.forEach((row, k) => {
    const s = json[k]!;
    const cols = row.trim().split(/\s+/);
    const version = s.version ? `${s.defined && !s.versionHidden ? '@@' : '@'}${s.version}` : '';
    assert.ok(row.endsWith(`${s.demangled ?? s.name}${version}`), `${row} ends with ${s.name}`);
    if (s.defined) assert.equal(BigInt(`0x${cols[0]}`), BigInt(s.address));
    assert.ok(cols.includes(s.kind) && cols.includes(s.binding) && cols.includes(s.source));
  });
});

test('symbols (table) of a PE DLL: an ordinal column, forwarders, and the DLL of each import', (t) => {
  if (!requireTool(t, 'x86_64-w64-mingw32-gcc', 'gcc-mingw-w64-x86-64')) return;
  if (!requireTool(t, 'clang-14', 'clang-14')) return;
  if (!requireTool(t, 'lld-link-14', 'lld-14')) return;
  if (!requireTool(t, 'llvm-dlltool-14', 'llvm-14', '--help')) return;
  const dll = buildPe().pe64;
  const table = cli('symbols', '--imports', dll);
  assert.equal(table.status, 0, table.stderr);
  const [head, ...rows] = table.stdout.trimEnd().split('\n');
  assert.match(head!, /BIND\s+ORDINAL NAME$/);
  const json = JSON.parse(cli('symbols', '--json', '--imports', dll).stdout) as SymbolRecord[];
  assert.equal(rows.length, json.length);
  rows.forEach((row, k) => {
    const s = json[k]!;
    const tail = `${s.demangled ?? s.name}${s.forwarder ? ` -> ${s.forwarder}` : ''}${s.library ? ` (from ${s.library})` : ''}`;
    assert.ok(row.endsWith(` ${tail}`), `${row} ends with ${tail}`);
    if (s.ordinal !== undefined)
      assert.match(row, new RegExp(`\\s${s.ordinal} ${tail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });
  assert.ok(rows.some((r) => / -> /.test(r)) && rows.some((r) => /\(from KERNEL32\.dll\)$/.test(r)));
});

test('symbols --no-demangle prints names as stored', () => {
  const r = cli('symbols', '--no-demangle', NODE);
  assert.equal(r.status, 0);
  assert.match(r.stdout, / _ZN2v88internal/);
  assert.doesNotMatch(cli('symbols', LIBZ).stdout, /_ZN/);
});

test('info and info --json: format, class, architecture, needed, load verdict', () => {
  const r = cli('info', LIBZ);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Format:\s+ELF 64-bit LSB shared library, x86-64/);
  assert.match(r.stdout, /SONAME:\s+libz\.so\.1/);
  assert.match(r.stdout, /Needed:\s+libc\.so\.6/);
  assert.match(r.stdout, /Loadable:\s+yes/);
  const j = JSON.parse(cli('info', '--json', LIBZ).stdout) as Record<string, unknown>;
  assert.equal(j.format, 'elf');
  assert.equal(j.bits, 64);
  assert.equal(j.endian, 'little');
  assert.equal(j.fileType, 'shared');
  assert.equal(j.soname, 'libz.so.1');
  assert.deepEqual(j.needed, ['libc.so.6']);
  assert.deepEqual(j.loadable, { ok: true, reason: null });
  assert.ok('go' in j);
  const exe = JSON.parse(cli('info', '--json', NODE).stdout) as { loadable: { ok: boolean; reason: string } };
  assert.equal(exe.loadable.ok, false);
  assert.match(exe.loadable.reason, /executable/);
});

test('bad input: one clear line, non-zero exit, no stack trace', () => {
  fs.mkdirSync(DIR, { recursive: true });
  const text = path.join(DIR, 'readme.txt');
  fs.writeFileSync(text, 'not a binary\n');
  const empty = path.join(DIR, 'empty.so');
  fs.writeFileSync(empty, '');
  const trunc = path.join(DIR, 'trunc.so');
  fs.writeFileSync(trunc, fs.readFileSync(LIBZ).subarray(0, 5000));
  for (const cmd of ['symbols', 'info']) {
    oneLineError(
      cli(cmd, text),
      new RegExp(`^plugin-studio ${cmd}: .*readme\\.txt: text file, not a compiled binary$`),
    );
    oneLineError(cli(cmd, empty), /empty file/);
    oneLineError(cli(cmd, DIR), /a directory, not a binary file/);
    oneLineError(cli(cmd, path.join(DIR, 'missing.so')), /no such file/);
    oneLineError(cli(cmd, trunc), /ELF 64-bit LSB shared library, x86-64: truncated or corrupt/);
    oneLineError(cli(cmd), /expects exactly one FILE/);
    oneLineError(cli(cmd, '--bogus', LIBZ), /bogus/);
  }
  oneLineError(cli('symbols', '--json', trunc), /truncated or corrupt/);
});

test('an object file: no dynamic symbols is said in one line; --all lists .symtab', (t) => {
  if (!requireTool(t, 'gcc', 'gcc')) return;
  fs.mkdirSync(DIR, { recursive: true });
  const src = path.join(DIR, 'o.c');
  fs.writeFileSync(src, 'int answer(void) { return 42; }\n');
  const obj = path.join(DIR, 'o.o');
  assert.equal(spawnSync('gcc', ['-c', '-o', obj, src]).status, 0);
  oneLineError(cli('symbols', obj), /relocatable object file, x86-64: no dynamic symbols .*--all/);
  const all = cli('symbols', '--all', obj);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /func\s+global\s+symtab\s+answer/);
});

test('symbols --json on a Go -buildmode=plugin file: Go types and Tyk handler phases', (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const dir = path.join(DIR, 'goplugin');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/studioplugin\n\ngo 1.19\n');
  fs.writeFileSync(
    path.join(dir, 'main.go'),
    `package main

import "net/http"

var Counter int

func AddHeader(w http.ResponseWriter, r *http.Request) { r.Header.Set("X-Studio", "1") }

func StripServer(w http.ResponseWriter, res *http.Response, r *http.Request) { res.Header.Del("Server") }

func Helper(n int) int { return n + Counter }

func main() {}
`,
  );
  const so = path.join(dir, 'plugin.so');
  const b = spawnSync('go', ['build', '-buildmode=plugin', '-o', so, '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  const r = cli('symbols', '--json', so);
  assert.equal(r.status, 0, r.stderr);
  const by = new Map((JSON.parse(r.stdout) as SymbolRecord[]).map((s) => [s.name, s]));
  const add = by.get('example.com/studioplugin.AddHeader');
  assert.equal(add?.language, 'go');
  assert.equal(add?.goName, 'example.com/studioplugin.AddHeader');
  assert.equal(add?.goType, 'func(http.ResponseWriter, *http.Request)');
  assert.deepEqual(add?.handler, { phase: 'request' });
  assert.deepEqual(by.get('example.com/studioplugin.StripServer')?.handler, { phase: 'response' });
  assert.equal(by.get('example.com/studioplugin.Helper')?.handler, null);
  assert.equal(by.get('example.com/studioplugin.Helper')?.goType, 'func(int) int');
  assert.equal(by.get('runtime.forcegchelper')?.noise, true);
  const info = cli('info', so);
  assert.match(info.stdout, /Go plugin:\s+yes/);
  assert.match(info.stdout, /Go version:\s+go1\.\d+/);
});
