// The code in sdk/README.md is what plugin authors copy: the C and the Go snippet must build into
// plugins that export what the README says and answer as it says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireTool } from '../helpers/tools.js';
import { goEnv } from './go-tool.js';
import { callOne, definedExports, requestEnvelope, result } from './harness.js';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const README = fs.readFileSync(path.join(ROOT, 'sdk', 'README.md'), 'utf8');

function snippet(lang: string): string {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(README);
  assert.ok(m?.[1], `sdk/README.md has a ${lang} snippet`);
  return m[1];
}

function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, options, (err, _stdout, stderr) =>
      err ? reject(new Error(`${cmd} failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

let dir = '';
before(() => {
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, 'build', 'readme-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the C snippet builds with the documented command and says hello', async (t) => {
  if (!requireTool(t, 'gcc', 'gcc')) return;
  fs.writeFileSync(path.join(dir, 'hello.c'), snippet('c'));
  const lib = path.join(dir, 'libhello.so');
  await run('gcc', [
    '-shared',
    '-fPIC',
    '-fvisibility=hidden',
    '-O2',
    '-Wall',
    '-Wextra',
    '-Werror',
    `-I${path.join(ROOT, 'sdk/c')}`,
    '-o',
    lib,
    path.join(dir, 'hello.c'),
  ]);
  assert.deepEqual(await definedExports(lib), [
    'Hello',
    'plugin_studio_abi_version',
    'plugin_studio_free',
    'plugin_studio_manifest',
  ]);
  assert.deepEqual(result(await callOne(lib, 'Hello', requestEnvelope())).logs, [
    { level: 'info', message: 'hello' },
  ]);
});

test('the Go snippet builds as a c-shared plugin whose AddHeader sets X-Example', async (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const mod = path.join(dir, 'myplugin');
  fs.mkdirSync(mod);
  fs.writeFileSync(path.join(mod, 'main.go'), snippet('go'));
  // The README's go.mod, with the replace pointing at this checkout's SDK.
  const gomod = /```\n([^`]*module myplugin[^`]*)```/.exec(README)?.[1];
  assert.ok(gomod, 'sdk/README.md shows the go.mod');
  fs.writeFileSync(
    path.join(mod, 'go.mod'),
    gomod.replace('/path/to/plugin-studio/sdk/go', path.join(ROOT, 'sdk/go')),
  );
  const lib = path.join(dir, 'libmyplugin.so');
  await run('go', ['build', '-buildmode=c-shared', '-o', lib, '.'], { cwd: mod, env: goEnv() });
  assert.ok((await definedExports(lib)).includes('AddHeader'));
  const r = result(await callOne(lib, 'AddHeader', requestEnvelope()));
  assert.deepEqual(r.request?.headers.at(-1), ['X-Example', '1']);
  assert.deepEqual(r.logs, [{ level: 'info', message: 'added X-Example' }]);
});
