// The input envelope: defaults, utf8 vs base64 bodies, and requests the engine refuses to send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEnvelope, decodeBody, encodeBody, InputError } from '../../src/runner/envelope.js';

test('bodies are utf8 when valid UTF-8, base64 otherwise, and decode back to the same bytes', () => {
  assert.deepEqual(encodeBody(Buffer.from('héllo')), { body: 'héllo', body_encoding: 'utf8' });
  const bin = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
  const e = encodeBody(bin);
  assert.equal(e.body_encoding, 'base64');
  assert.deepEqual(decodeBody(e.body, e.body_encoding), bin);
});

test('the envelope has every ABI field, headers in order with repeats', () => {
  const { json } = buildEnvelope({
    symbol: 'X',
    phase: 'request',
    request: {
      method: 'POST',
      url: 'http://api.example.com/orders?id=7',
      headers: [
        ['X-Trace', 'a'],
        ['X-Trace', 'b'],
      ],
      body: '{"qty":1}',
    },
  });
  assert.deepEqual(JSON.parse(json), {
    abi: 1,
    phase: 'request',
    request: {
      method: 'POST',
      url: 'http://api.example.com/orders?id=7',
      proto: 'HTTP/1.1',
      remote_addr: '127.0.0.1:51000',
      headers: [
        ['X-Trace', 'a'],
        ['X-Trace', 'b'],
      ],
      body: '{"qty":1}',
      body_encoding: 'utf8',
    },
    response: null,
    config: {},
  });
});

test('response phase carries the upstream response; bad input is a sentence', () => {
  const { json } = buildEnvelope({
    symbol: 'X',
    phase: 'response',
    request: { method: 'GET', url: 'http://x/', headers: [], body: '' },
    response: { status: 502, headers: [['Server', 'nginx']], body: 'bad gateway' },
    config: { strip: true },
  });
  const env = JSON.parse(json) as { response: { status: number }; config: unknown };
  assert.equal(env.response.status, 502);
  assert.deepEqual(env.config, { strip: true });
  assert.throws(
    () =>
      buildEnvelope({
        symbol: 'X',
        phase: 'request',
        request: { method: 'GET', url: '/relative', headers: [], body: '' },
      }),
    (e: unknown) => e instanceof InputError && /not an absolute URL/.test(e.message),
  );
  assert.throws(
    () =>
      buildEnvelope({
        symbol: 'X',
        phase: 'request',
        request: { method: 'GET', url: 'http://x/', headers: [['only-name']] as never, body: '' },
      }),
    /request\.headers\[0\] must be a \[name, value\] pair/,
  );
});
