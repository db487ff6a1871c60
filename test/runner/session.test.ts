// The supervisor's life cycle on real plugins: descriptions with and without a manifest, a host
// that dies between calls, bad input, close with calls still queued, and the states it reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlugin } from '../../src/runner/index.js';
import type { CallInput, HostState } from '../../src/runner/types.js';
import { requirePlugin } from '../helpers/plugins.js';

const request: CallInput['request'] = {
  method: 'GET',
  url: 'http://api.example.com/',
  headers: [],
  body: '',
};

test('a manifest gives the handlers and their phases; calls report ready/busy states', async (t) => {
  const lib = await requirePlugin(t, 'example-c');
  if (!lib) return;
  const states: HostState[] = [];
  const s = await openPlugin(lib, { onStatus: (st) => states.push(st) });
  try {
    assert.equal(s.description.studioAbi, true);
    assert.equal(s.description.abiVersion, 1);
    assert.equal(s.description.kind, 'native');
    const phases = Object.fromEntries(s.description.handlers.map((h) => [h.symbol, h.phase]));
    assert.equal(phases.AddHeader, 'request');
    assert.equal(phases.StripServer, 'response');
    await s.call({ symbol: 'AddHeader', phase: 'request', request });
    assert.deepEqual(states, ['starting', 'ready', 'busy', 'ready']);
    assert.equal(s.state, 'ready');
  } finally {
    await s.close();
  }
  assert.equal(states.at(-1), 'stopped');
});

test('a library that is not a Studio plugin: every export is a candidate, calls at the user risk', async (t) => {
  const lib = await requirePlugin(t, 'plain');
  if (!lib) return;
  const s = await openPlugin(lib);
  try {
    assert.equal(s.description.studioAbi, false);
    assert.equal(s.description.manifest, null);
    assert.deepEqual(s.description.handlers.map((h) => [h.symbol, h.phase]).sort(), [
      ['plain_add', null],
      ['plain_untouched', null],
    ]);
    const untouched = await s.call({ symbol: 'plain_untouched', phase: 'request', request });
    assert.equal(untouched.outcome, 'abi_error');
    const add = await s.call({ symbol: 'plain_add', phase: 'request', request });
    assert.equal(add.outcome, 'error');
    assert.match(add.error ?? '', /returned status -?\d+ without a message/);
  } finally {
    await s.close();
  }
});

test('a host killed between calls is replaced on the next call', async (t) => {
  const lib = await requirePlugin(t, 'crash-c');
  if (!lib) return;
  const states: HostState[] = [];
  const s = await openPlugin(lib, { onStatus: (st) => states.push(st) });
  try {
    const pid = (s as unknown as { hostPid: number }).hostPid;
    const exited = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (s.state === 'crashed') {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    process.kill(pid, 'SIGKILL');
    await exited;
    const r = await s.call({ symbol: 'Ok', phase: 'request', request });
    assert.equal(r.outcome, 'continue');
    assert.notEqual((s as unknown as { hostPid: number }).hostPid, pid);
    assert.ok(states.includes('crashed'));
  } finally {
    await s.close();
  }
});

test('bad input is an error result without touching the host; close settles queued calls', async (t) => {
  const lib = await requirePlugin(t, 'crash-c');
  if (!lib) return;
  const s = await openPlugin(lib);
  const bad = await s.call({ symbol: 'Ok', phase: 'request', request: { ...request, url: 'not a url' } });
  assert.equal(bad.outcome, 'error');
  assert.match(bad.error ?? '', /not an absolute URL/);
  const running = s.call({ symbol: 'Sleep', phase: 'request', request });
  const queuedCall = s.call({ symbol: 'Ok', phase: 'request', request });
  const queuedBench = s.bench({ symbol: 'Ok', phase: 'request', request }, 10);
  await new Promise((r) => setTimeout(r, 50));
  await s.close();
  const r = await running;
  assert.equal(r.outcome, 'error');
  assert.match(r.error ?? '', /closed/);
  const [q, b] = await Promise.all([queuedCall, queuedBench]);
  assert.match(q.error ?? '', /closed before this call ran/);
  assert.match(b.sample?.error ?? '', /closed before this call ran/);
  assert.equal(s.state, 'stopped');
});

test('reload reads a rebuilt library again: new behaviour, new description', async (t) => {
  const { requireTool } = await import('../helpers/tools.js');
  if (!requireTool(t, 'gcc', 'gcc')) return;
  const { execFileSync } = await import('node:child_process');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = path.join(
    path.dirname(new URL(import.meta.url).pathname),
    '..',
    '..',
    'build',
    'test-runner',
    'reload',
  );
  fs.mkdirSync(dir, { recursive: true });
  const lib = path.join(dir, 'libversioned.so');
  const build = (version: number): void => {
    const src = path.join(dir, `v${version}.c`);
    fs.writeFileSync(
      src,
      `#include <stdint.h>
#include <stdlib.h>
#include <string.h>
uint32_t plugin_studio_abi_version(void) { return 1; }
void plugin_studio_free(void *p) { free(p); }
const char *plugin_studio_manifest(void) {
  return "{\\"abi\\":1,\\"name\\":\\"versioned\\",\\"version\\":\\"${version}.0.0\\",\\"handlers\\":[{\\"symbol\\":\\"Version\\",\\"phase\\":\\"request\\"}]}";
}
int32_t Version(const uint8_t *in, size_t n, uint8_t **out, size_t *out_len) {
  static const char r[] = "{\\"logs\\":[{\\"level\\":\\"info\\",\\"message\\":\\"v${version}\\"}]}";
  (void)in; (void)n;
  *out = malloc(sizeof r - 1); memcpy(*out, r, sizeof r - 1); *out_len = sizeof r - 1;
  return 0;
}
`,
    );
    // Built beside the target and renamed over it, as build tools replace a library.
    execFileSync('gcc', ['-shared', '-fPIC', '-o', `${lib}.tmp`, src]);
    fs.renameSync(`${lib}.tmp`, lib);
  };
  build(1);
  const s = await openPlugin(lib);
  try {
    const input: CallInput = { symbol: 'Version', phase: 'request', request };
    assert.equal((await s.call(input)).logs[0]?.message, 'v1');
    build(2);
    await s.reload();
    assert.equal(s.description.manifest?.version, '2.0.0');
    assert.equal((await s.call(input)).logs[0]?.message, 'v2');
  } finally {
    await s.close();
  }
});

test('a bench longer than the time limit runs on while each call keeps within it; a hung call times out', async (t) => {
  const lib = await requirePlugin(t, 'crash-c');
  if (!lib) return;
  const s = await openPlugin(lib, { timeoutMs: 600 });
  try {
    const slow = await s.bench({ symbol: 'Sleep', phase: 'request', request }, 5);
    assert.deepEqual(slow.outcomes, { continue: 5 }, 'five 200 ms calls: 1 s in all, over the 600 ms limit');
    assert.ok(slow.p50Us >= 190_000);
    const hung = await s.bench({ symbol: 'Hang', phase: 'request', request }, 10);
    assert.deepEqual(hung.outcomes, { timeout: 1 });
    assert.equal(hung.sample?.outcome, 'timeout');
    assert.equal((await s.call({ symbol: 'Ok', phase: 'request', request })).outcome, 'continue');
  } finally {
    await s.close();
  }
});
