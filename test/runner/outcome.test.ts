// The result envelope validation (which field has the wrong shape) and ABI.md's outcome table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, parseResult } from '../../src/runner/outcome.js';
import { firstInvalidUtf8 } from '../../src/runner/host-call.js';
import type { ResultEnvelope } from '../../src/runner/protocol.js';

function error(text: string): string {
  const r = parseResult(text);
  assert.equal(r.ok, false, text);
  return r.ok ? '' : r.error;
}

test('valid envelopes pass, null fields count as absent', () => {
  for (const t of [
    '{}',
    '{"request":{"method":"GET","url":"http://x/","headers":[["A","b"]],"body":""}}',
    '{"response":{"status":403,"headers":[],"body":"no"},"logs":[{"level":"warn","message":"m"}]}',
    '{"panic":{"message":"boom","stack":"goroutine 1"}}',
    '{"request":null,"response":null,"logs":null,"panic":null}',
  ]) {
    const r = parseResult(t);
    assert.ok(r.ok, t);
    if (r.ok)
      for (const k of ['request', 'response', 'logs', 'panic'])
        assert.ok(!(k in r.envelope) || (r.envelope as Record<string, unknown>)[k] !== null);
  }
});

test('each wrong shape names the field', () => {
  assert.match(error('[1]'), /the result must be a JSON object, not a list/);
  assert.match(error('{"request":[]}'), /request must be an object, not a list/);
  assert.match(
    error('{"request":{"headers":[["A"]]}}'),
    /request\.headers\[0\] must be a \[name, value\] pair of strings/,
  );
  assert.match(
    error('{"request":{"headers":{"A":"b"}}}'),
    /request\.headers must be a list of \[name, value\] pairs, not an object/,
  );
  assert.match(error('{"request":{"url":7}}'), /request\.url must be a string, not a number/);
  assert.match(
    error('{"request":{"body_encoding":"hex"}}'),
    /request\.body_encoding must be "utf8" or "base64"/,
  );
  assert.match(
    error('{"response":{"status":"403"}}'),
    /response\.status must be an HTTP status code .* not a string/,
  );
  assert.match(error('{"response":{"status":42}}'), /not 42/);
  assert.match(
    error('{"response":{"status":200,"body":1}}'),
    /response\.body must be a string, not a number/,
  );
  assert.match(
    error('{"logs":[{"level":"fatal","message":"x"}]}'),
    /logs\[0\]\.level must be one of debug, info, warn, error/,
  );
  assert.match(error('{"logs":{}}'), /logs must be a list, not an object/);
  assert.match(error('{"panic":{"stack":"x"}}'), /panic\.message must be a string, not a undefined/);
  assert.match(error('{"a":'), /the output is not JSON \(/);
});

test('the outcome table of ABI.md', () => {
  const r = (o: ResultEnvelope) => o;
  const resp = (status: number) => ({ status, headers: [], body: '' });
  assert.equal(classify('request', r({}), null), 'continue');
  assert.equal(
    classify('request', r({ request: { method: 'GET', url: 'http://x/', headers: [], body: '' } }), null),
    'continue',
  );
  assert.equal(classify('request', r({ response: resp(200) }), null), 'respond');
  assert.equal(classify('request', r({ response: resp(399) }), null), 'respond');
  assert.equal(classify('request', r({ response: resp(400) }), null), 'reject');
  assert.equal(classify('request', r({ response: resp(403), panic: { message: 'x' } }), null), 'panic');
  assert.equal(
    classify('response', r({}), { status: 502 }),
    'continue',
    'unchanged upstream error passes on',
  );
  assert.equal(classify('response', r({ response: resp(200) }), { status: 200 }), 'continue');
  assert.equal(
    classify('response', r({ response: resp(502) }), { status: 502 }),
    'continue',
    'same status: passed on',
  );
  assert.equal(classify('response', r({ response: resp(451) }), { status: 200 }), 'reject');
  assert.equal(classify('response', r({ panic: { message: 'x' } }), { status: 200 }), 'panic');
});

test('firstInvalidUtf8 agrees with a strict decoder', () => {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const cases = [
    [0x61, 0x62],
    [0xc3, 0xa9],
    [0xc3, 0x28],
    [0xe2, 0x82, 0xac],
    [0xed, 0xa0, 0x80],
    [0xf0, 0x9f, 0x98, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0x61, 0xe2, 0x82],
    [0xff],
  ];
  for (const c of cases) {
    const b = Uint8Array.from(c);
    let valid = true;
    try {
      strict.decode(b);
    } catch {
      valid = false;
    }
    assert.equal(firstInvalidUtf8(b) === -1, valid, JSON.stringify(c));
  }
  assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0x62, 0xc3, 0x28])), 2);
});
