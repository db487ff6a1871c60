/**
 * Go plugins through the real command line (src/cli/main.ts run by tsx in a child process, as the
 * bin runs the compiled copy): `call --json` outcomes and exit codes, `bench --json`, `info` with
 * the Go version, `symbols --json` with goType.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { hasTool } from '../helpers/tools.js';
import { buildGoTykPlugin, goVersion, outDir, root } from '../plugins/go-tyk/build.js';

const haveGo = hasTool('go', 'version');
if (!haveGo && process.env.CI === 'true')
  throw new Error('go not found (Debian package golang-go): CI must install it (.ci/run)');
const skip = haveGo ? false : 'go not found (Debian package golang-go)';

const cache = path.join(outDir, `cli-cache-${process.pid}`);
let plugin = '';

function cli(...args: string[]) {
  const entry = `import { main } from ${JSON.stringify(path.join(root, 'src/cli/main.ts'))};
main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, PLUGIN_STUDIO_CACHE: cache },
  });
}

function callJson(...args: string[]): {
  status: number | null;
  json: Record<string, unknown> & { outcome: string };
} {
  const r = cli('call', plugin, ...args, '--json');
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return { status: r.status, json: JSON.parse(r.stdout) as Record<string, unknown> & { outcome: string } };
}

before(() => {
  if (!haveGo) return;
  plugin = buildGoTykPlugin('plain');
});
after(() => fs.rmSync(cache, { recursive: true, force: true }));

test('call --json: continue, reject, respond by Tyk rules, exit code 0', { skip }, () => {
  const add = callJson('AddHeader', '--url', 'http://api.example.com/a', '-H', 'X-Trace: 1');
  assert.equal(add.status, 0);
  assert.equal(add.json.outcome, 'continue');
  assert.deepEqual((add.json.request as { headers: unknown }).headers, [
    ['X-Trace', '1'],
    ['X-Studio', 'added'],
  ]);
  const reject = callJson('RejectJSON');
  assert.equal(reject.status, 0);
  assert.equal(reject.json.outcome, 'reject');
  assert.deepEqual(reject.json.response, {
    status: 403,
    headers: [['Content-Type', 'application/json']],
    body: '{"error":"forbidden"}',
    body_encoding: 'utf8',
  });
  const teapot = callJson('Teapot');
  assert.equal(teapot.json.outcome, 'reject');
  const answer = callJson('Answer200', '--url', 'http://api.example.com/?name=cli');
  assert.equal(answer.json.outcome, 'respond');
  assert.equal((answer.json.response as { body: string }).body, 'hello cli');
  const body = callJson('UpperBody', '-X', 'POST', '--data', 'quiet');
  assert.equal((body.json.request as { body: string }).body, 'QUIET');
  const rewrite = callJson('RewriteURL', '--url', 'http://api.example.com/x');
  assert.equal((rewrite.json.request as { url: string }).url, 'http://api.example.com/v2/x?rewritten=1');
});

test('call --json: response handlers', { skip }, () => {
  const up = [
    '--phase',
    'response',
    '--upstream-status',
    '200',
    '--upstream-header',
    'Server: nginx',
    '--upstream-body',
    'my secret',
  ];
  const strip = callJson('StripServer', ...up);
  assert.equal(strip.json.outcome, 'continue');
  assert.deepEqual((strip.json.response as { headers: unknown }).headers, [['X-Processed', 'studio']]);
  const body = callJson('RewriteResponseBody', ...up);
  assert.equal((body.json.response as { body: string }).body, 'my ******');
  const fail = callJson('FailUpstream', ...up);
  assert.equal(fail.json.outcome, 'reject');
  assert.equal((fail.json.response as { status: number }).status, 502);
});

test('call --json: panic, crash and a non-handler symbol exit non-zero with the details', { skip }, () => {
  const panic = callJson('Panic');
  assert.notEqual(panic.status, 0);
  assert.equal(panic.json.outcome, 'panic');
  assert.equal((panic.json.panic as { message: string }).message, 'assignment to entry in nil map');
  const crash = callJson('MapRace');
  assert.notEqual(crash.status, 0);
  assert.equal(crash.json.outcome, 'crash');
  assert.match((crash.json.crash as { traceMessage: string }).traceMessage, /^concurrent map writes/);
  const counter = callJson('Counter');
  assert.notEqual(counter.status, 0);
  assert.equal(counter.json.outcome, 'error');
  assert.match(counter.json.error as string, /Counter has type \*int, which is not a handler/);
});

test('bench --json on a Go plugin', { skip }, () => {
  const r = cli('bench', plugin, 'AddHeader', '-n', '2000', '--json');
  assert.equal(r.status, 0, r.stderr);
  const b = JSON.parse(r.stdout) as { calls: number; callsPerSecond: number; p50Us: number };
  assert.equal(b.calls, 2000);
  assert.ok(b.callsPerSecond > 0 && b.p50Us > 0);
});

test('info shows the Go version and plugin build mode; symbols --json shows goType', { skip }, () => {
  const info = cli('info', plugin);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, new RegExp(`Go version:\\s+${goVersion().replace(/\./g, '\\.')}`));
  assert.match(info.stdout, /plugin/);
  const symbols = cli('symbols', plugin, '--json');
  assert.equal(symbols.status, 0, symbols.stderr);
  const list = JSON.parse(symbols.stdout) as { name: string; goType?: string | null }[];
  const add = list.find((s) => s.name === 'example.com/tyk-test-plugin.AddHeader');
  assert.equal(add?.goType, 'func(http.ResponseWriter, *http.Request)');
  const strip = list.find((s) => s.name === 'example.com/tyk-test-plugin.StripServer');
  assert.equal(strip?.goType, 'func(http.ResponseWriter, *http.Response, *http.Request)');
});
