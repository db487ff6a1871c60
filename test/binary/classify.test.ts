import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySymbol } from '../../src/binary/classify.js';

const cases: [name: string, goFile: boolean, language: string, noise: boolean][] = [
  ['AddHeader', false, 'c', false],
  ['plugin_studio_abi_version', false, 'c', false],
  ['_ZN4plug6handleEPKcj', false, 'c++', false],
  ['_GLOBAL__sub_I_main.cc', false, 'c++', true],
  ['?foo@@YAXXZ', false, 'c++', false],
  ['_RNvCs1234_7mycrate3foo', false, 'rust', false],
  ['_ZN3std2rt10lang_start17h0123456789abcdefE', false, 'rust', false],
  ['rust_eh_personality', false, 'rust', true],
  ['__rust_alloc', false, 'rust', true],
  ['_cgo_panic', true, 'cgo', true],
  ['x_cgo_init', true, 'cgo', true],
  ['crosscall2', true, 'cgo', true],
  ['_cgoexp_1234_AddHeader', true, 'cgo', true],
  ['__gmon_start__', false, 'runtime', true],
  ['_init', false, 'runtime', true],
  ['_fini', false, 'runtime', true],
  ['_ITM_registerTMCloneTable', false, 'runtime', true],
  ['__cxa_finalize', false, 'runtime', true],
  ['__udivti3', false, 'runtime', true],
  ['_Unwind_Resume', false, 'runtime', true],
  ['example.com/plugin.AddHeader', true, 'go', false],
  ['main.AddHeader', true, 'go', false],
  ['runtime.gcenable', true, 'go', true],
  ['type:*main.T', true, 'go', true],
  ['go:buildid', true, 'go', true],
  ['internal/abi.FuncPCABI0', true, 'go', true],
  ['foo.cold', false, 'unknown', true],
  ['.L123', false, 'unknown', true],
];

test('language and noise from the name', () => {
  for (const [name, goFile, language, noise] of cases) {
    const c = classifySymbol(name, goFile);
    assert.equal(c.language, language, `${name}: language`);
    assert.equal(c.noise, noise, `${name}: noise`);
  }
});

test('the Studio ABI exports are recognised by name', () => {
  assert.equal(classifySymbol('plugin_studio_abi_version', false).abi, 'abi_version');
  assert.equal(classifySymbol('plugin_studio_free', false).abi, 'free');
  assert.equal(classifySymbol('plugin_studio_manifest', false).abi, 'manifest');
  assert.equal(classifySymbol('plugin_studio_other', false).abi, null);
  assert.equal(classifySymbol('AddHeader', false).abi, null);
});

test('dotted names are Go only in Go files', () => {
  assert.equal(classifySymbol('main.AddHeader', false).language, 'unknown');
  assert.equal(classifySymbol('main.AddHeader', true).language, 'go');
});
