// Long campaign over the UI's parsers of pasted and typed text (curl paste, URL query, form body):
// 100,000 mutated inputs each; every input ends in a result or the parser's own error, within a
// time bound (no hang), and memory stays bounded.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CurlError, parseCurl } from '../../renderer/src/lib/curl-paste.js';
import { formRowsFromBody, bodyFromFormRows } from '../../renderer/src/lib/form-body.js';
import { paramsFromUrl, syncRowsFromUrl, urlWithRows } from '../../renderer/src/lib/url-params.js';
import { mutate, rng } from './ui-fuzz.js';

const N = 100_000;
const CURL = path.resolve(import.meta.dirname, '..', 'data', 'fixtures', 'curl');

test('curl paste: 100,000 mutated commands', { timeout: 600_000 }, () => {
  const seeds = [
    ...fs
      .readFileSync(path.join(CURL, 'docs.curl'), 'utf8')
      .split('\n\n')
      .filter((s) => s.includes('curl')),
    fs.readFileSync(path.join(CURL, 'chrome-cmd.curl'), 'utf8'),
  ];
  const random = rng(20261127);
  const heap = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) {
    const input = mutate(seeds[i % seeds.length]!, random);
    const t0 = performance.now();
    try {
      parseCurl(input);
    } catch (err) {
      if (!(err instanceof CurlError))
        throw new Error(`input ${JSON.stringify(input)} threw ${String(err)}`, { cause: err });
    }
    assert.ok(performance.now() - t0 < 1000, `input ${JSON.stringify(input)} took over a second`);
  }
  assert.ok(process.memoryUsage().heapUsed - heap < 512 * 1024 * 1024, 'memory stays bounded');
});

test(
  'URL query and form body: 100,000 mutated inputs round-trip without throwing',
  { timeout: 600_000 },
  () => {
    const random = rng(99);
    const seeds = [
      'http://api.example.com/orders?id=7&x=%20y&flag#f',
      'a=1&b=J%C3%BCrgen+M&c=&%=%%',
      'https://h/?q=a%26b%3Dc/d',
    ];
    for (let i = 0; i < N; i++) {
      const input = mutate(seeds[i % seeds.length]!, random);
      const rows = syncRowsFromUrl(input, []);
      assert.equal(rows.length, paramsFromUrl(input).length);
      urlWithRows(input, rows);
      bodyFromFormRows(formRowsFromBody(input));
    }
  },
);
