// sdk/c/plugin_studio.h: compiles cleanly as C99 (-pedantic), as C++ and for Windows (PE, with
// dllexport), exports exactly the ABI and the handlers, and its helpers produce what ABI.md says.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireTool } from '../helpers/tools.js';
import { callAll, definedExports, requestEnvelope, runInChild } from './harness.js';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const SDK = path.join(ROOT, 'sdk/c');
const SOURCE = path.join(ROOT, 'test/sdk/c/minimal.c');
const STRICT = ['-Wall', '-Wextra', '-Werror', '-shared', '-fvisibility=hidden', `-I${SDK}`];
const EXPECTED = [
  'Continue',
  'Empty',
  'Fail',
  'FailZero',
  'Result',
  'Take',
  'plugin_studio_abi_version',
  'plugin_studio_free',
  'plugin_studio_manifest',
];

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} failed: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
}

let dir = '';
before(() => {
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, 'build', 'sdk-c-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('plugin_studio.h', () => {
  test('C99 -pedantic: exports exactly the ABI symbols and the handlers; the helpers work', async (t) => {
    if (!requireTool(t, 'gcc', 'gcc')) return;
    const lib = path.join(dir, 'libminimal.so');
    await run('gcc', ['-std=c99', '-pedantic', '-fPIC', ...STRICT, '-o', lib, SOURCE]);
    assert.deepEqual(await definedExports(lib), EXPECTED);

    const env = requestEnvelope();
    const child = await runInChild(lib, [
      { symbol: 'Result', envelope: env },
      { symbol: 'Continue', envelope: env },
      { symbol: 'Fail', envelope: env },
      { symbol: 'FailZero', envelope: env },
      { symbol: 'Empty', envelope: env },
      { symbol: 'Take', envelope: env },
    ]);
    assert.equal(child.report?.abi, 1);
    const manifest = JSON.parse(child.report?.manifest ?? 'null') as {
      abi: number;
      handlers: { symbol: string }[];
    };
    assert.equal(manifest.abi, 1);
    assert.deepEqual(
      manifest.handlers.map((h) => h.symbol).sort(),
      EXPECTED.filter((s) => !s.startsWith('plugin_')),
    );
    const [result, cont, fail, failZero, empty, take] = child.report?.results ?? [];
    assert.deepEqual(JSON.parse(result?.output ?? ''), { logs: [{ level: 'info', message: 'héllo' }] });
    assert.deepEqual(cont, { status: 0, output: '{}' });
    assert.deepEqual(fail, { status: 42, output: 'no upstream configured' });
    assert.deepEqual(failZero, { status: 1, output: 'status 0 is not an error code' });
    assert.deepEqual(empty, { status: 0, output: '' }, 'an empty buffer is not NULL');
    assert.deepEqual(JSON.parse(take?.output ?? ''), env);
  });

  test('C++ (clang++): the same exports, unmangled', async (t) => {
    if (!requireTool(t, 'clang++-14', 'clang-14')) return;
    const lib = path.join(dir, 'libminimal-cpp.so');
    await run('clang++-14', ['-x', 'c++', '-std=c++17', '-fPIC', ...STRICT, '-o', lib, SOURCE]);
    assert.deepEqual(await definedExports(lib), EXPECTED);
    const [r] = await callAll(lib, [{ symbol: 'Continue', envelope: requestEnvelope() }]);
    assert.deepEqual(r, { status: 0, output: '{}' });
  });

  test('Windows (mingw-w64): a PE DLL exporting exactly the dllexport-ed symbols', async (t) => {
    if (!requireTool(t, 'x86_64-w64-mingw32-gcc', 'gcc-mingw-w64-x86-64')) return;
    if (!requireTool(t, 'llvm-readobj-14', 'llvm-14')) return;
    const dll = path.join(dir, 'minimal.dll');
    await run('x86_64-w64-mingw32-gcc', ['-std=c99', ...STRICT, '-o', dll, SOURCE]);
    const text = await run('llvm-readobj-14', ['--coff-exports', dll]);
    const names = [...text.matchAll(/^\s*Name: (\S+)$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(names, EXPECTED);
  });

  test('plugin_studio_json.h (cJSON helpers) compiles cleanly with the example', async (t) => {
    if (!requireTool(t, 'gcc', 'gcc')) return;
    const lib = path.join(dir, 'libexample-strict.so');
    await run('gcc', [
      '-std=gnu99',
      '-fPIC',
      ...STRICT,
      '-Wshadow',
      '-Wconversion',
      '-o',
      lib,
      path.join(ROOT, 'examples/c/example.c'),
      '-lcjson',
    ]);
    assert.ok((await definedExports(lib)).includes('StripServer'));
  });
});
