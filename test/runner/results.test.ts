// How a handler's result envelope becomes a CallResult: absent fields keep their values, a body
// without body_encoding is utf8 even where it replaces a base64 one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEnvelope } from '../../src/runner/envelope.js';
import type { ResultMessage } from '../../src/runner/protocol.js';
import { resultFrom } from '../../src/runner/results.js';
import type { CallInput } from '../../src/runner/types.js';

const input: CallInput = {
  symbol: 'H',
  phase: 'response',
  request: {
    method: 'POST',
    url: 'http://x/a',
    headers: [['A', '1']],
    body: 'AAEC',
    body_encoding: 'base64',
  },
  response: { status: 200, headers: [['Server', 'nginx']], body: '/w==', body_encoding: 'base64' },
};

function message(result: ResultMessage['result']): ResultMessage {
  return {
    t: 'result',
    id: 1,
    outcome: 'continue',
    status: 0,
    result,
    panic: null,
    error: null,
    durationNs: 1500,
    outputBytes: 9,
  };
}

test('absent fields are unchanged; replaced bodies default to utf8', () => {
  const env = buildEnvelope(input);
  const same = resultFrom(input, env, message({}), '', '');
  assert.deepEqual(same.request, same.requestBefore);
  assert.deepEqual(same.response, same.responseBefore);
  assert.equal(same.durationMs, 0.0015);

  const changed = resultFrom(
    input,
    env,
    message({ request: { body: 'hello' } as never, response: { status: 200, headers: [], body: 'plain' } }),
    'out',
    'err',
  );
  assert.equal(changed.request.body, 'hello');
  assert.equal(changed.request.body_encoding, 'utf8');
  assert.deepEqual(changed.request.headers, [['A', '1']], 'headers not in the result stay');
  assert.equal(changed.response?.body_encoding, 'utf8');
  assert.deepEqual(changed.response?.headers, []);
  assert.equal(changed.stdout, 'out');
});

test('request phase: a response only when the handler answered', () => {
  const req: CallInput = { ...input, phase: 'request', response: null };
  const env = buildEnvelope(req);
  assert.equal(resultFrom(req, env, message({}), '', '').response, null);
  const answered = resultFrom(req, env, message({ response: { status: 403 } as never }), '', '');
  assert.deepEqual(answered.response, { headers: [], body: '', status: 403 });
});
