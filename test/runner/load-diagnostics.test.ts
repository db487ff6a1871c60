// Load failures explained in a sentence, on real files: a missing dependency, a plugin without
// plugin_studio_free, a text file, an executable, an ARM64 library, and a glibc symbol version
// this machine does not have.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openPlugin, PluginOpenError } from '../../src/runner/index.js';
import { requirePlugin } from '../helpers/plugins.js';
import { requireTool } from '../helpers/tools.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const DIR = path.join(ROOT, 'build', 'test-runner', 'load');

async function openError(file: string): Promise<string> {
  try {
    const s = await openPlugin(file);
    await s.close();
  } catch (err) {
    assert.ok(err instanceof PluginOpenError, String(err));
    assert.equal(err.message.split('\n').length, 1, 'one sentence, no stack');
    return err.message;
  }
  assert.fail(`${file} opened`);
}

function write(name: string, text: string): string {
  fs.mkdirSync(DIR, { recursive: true });
  const p = path.join(DIR, name);
  fs.writeFileSync(p, text);
  return p;
}

describe('load diagnostics', () => {
  test('a missing dependency: which library, and where the loader looked', async (t) => {
    const lib = await requirePlugin(t, 'missing-dep');
    if (!lib) return;
    const m = await openError(lib);
    assert.match(
      m,
      /^libmissing-dep\.so needs libps_vanished\.so, which was not found; the loader looked in .*\/usr\/lib.* and \/etc\/ld\.so\.cache/,
    );
  });

  test('a Studio plugin without plugin_studio_free is refused at load', async (t) => {
    const lib = await requirePlugin(t, 'no-free');
    if (!lib) return;
    assert.match(await openError(lib), /exports plugin_studio_abi_version but not plugin_studio_free/);
  });

  test('not a binary, missing, an executable', async (t) => {
    assert.match(
      await openError(write('notes.so', 'just some text\n')),
      /^notes\.so is not a shared library: /,
    );
    assert.match(await openError(path.join(DIR, 'nothing-here.so')), /^There is no file at /);
    if (!requireTool(t, 'gcc', 'gcc')) return;
    const exe = path.join(DIR, 'prog');
    execFileSync('gcc', ['-o', exe, '-x', 'c', write('prog.c', 'int main(void){return 0;}\n')]);
    assert.match(await openError(exe), /^prog: .*executable.*; build it with -shared/);
  });

  test('another architecture', async (t) => {
    if (!requireTool(t, 'clang-14', 'clang-14')) return;
    const arm = path.join(DIR, 'libarm64.so');
    execFileSync('clang-14', [
      '--target=aarch64-linux-gnu',
      '-fuse-ld=lld',
      '-shared',
      '-nostdlib',
      '-fPIC',
      '-o',
      arm,
      write('arm.c', 'int Handler(void){return 0;}\n'),
    ]);
    assert.match(await openError(arm), /AArch64.*cannot load on this/i);
  });

  test('a glibc symbol version this machine lacks', async (t) => {
    if (!requireTool(t, 'gcc', 'gcc')) return;
    // A stand-in libc.so.6 that defines GLIBC_2.99; the plugin links against it, and at run time
    // the real libc.so.6 is found instead, which has no such version.
    const stubDir = path.join(DIR, 'stub');
    fs.mkdirSync(stubDir, { recursive: true });
    write('stub/vers.map', 'GLIBC_2.99 { global: future_function; };\n');
    execFileSync('gcc', [
      '-shared',
      '-fPIC',
      '-nostdlib',
      '-Wl,-soname,libc.so.6',
      `-Wl,--version-script,${path.join(stubDir, 'vers.map')}`,
      '-o',
      path.join(stubDir, 'libc.so.6'),
      '-x',
      'c',
      write('stub/stub.c', 'int future_function(void){return 1;}\n'),
    ]);
    const lib = path.join(DIR, 'libfuture.so');
    execFileSync('gcc', [
      '-shared',
      '-fPIC',
      '-o',
      lib,
      '-x',
      'c',
      write('future.c', 'int future_function(void);\nint Handler(void){return future_function();}\n'),
      '-x',
      'none',
      path.join(stubDir, 'libc.so.6'),
    ]);
    assert.match(
      await openError(lib),
      /^libfuture\.so needs the C library version GLIBC_2\.99, which this machine's glibc [\d.]+ does not have/,
    );
  });
});

test('a library whose initialisation crashes: the crash, in a sentence, at open', async (t) => {
  if (!requireTool(t, 'gcc', 'gcc')) return;
  const lib = path.join(DIR, 'libinitcrash.so');
  execFileSync('gcc', [
    '-shared',
    '-fPIC',
    '-o',
    lib,
    '-x',
    'c',
    write(
      'initcrash.c',
      '#include <stdio.h>\n#include <stdlib.h>\n__attribute__((constructor)) static void init(void) { fprintf(stderr, "initcrash: no config\\n"); abort(); }\n',
    ),
  ]);
  const m = await openError(lib);
  assert.match(
    m,
    /^The plugin host stopped while loading the library \(its initialisation code ran\): the plugin process was killed by SIGABRT/,
  );
});
