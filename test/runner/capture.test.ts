// Output attribution: bytes up to a call's end marker are that call's, the rest wait for the next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamCapture } from '../../src/runner/capture.js';
import { endMarker } from '../../src/runner/protocol.js';

test('a marker split across chunks is found; bytes after it belong to the next call', () => {
  const c = new StreamCapture();
  c.expect(endMarker(1));
  const data = Buffer.from(`hello ${endMarker(1)}next call`);
  for (let i = 0; i < data.length; i += 3) c.push(data.subarray(i, i + 3));
  assert.ok(c.markerSeen);
  assert.equal(c.takeToMarker(), 'hello ');
  c.expect(endMarker(2));
  assert.equal(c.markerSeen, false);
  c.push(Buffer.from(` more${endMarker(2)}`));
  assert.equal(c.takeToMarker(), 'next call more');
});

test('a stale marker of another call is plain text; takeAll returns everything', () => {
  const c = new StreamCapture();
  c.expect(endMarker(7));
  c.push(Buffer.from(`x${endMarker(6)}y`));
  assert.equal(c.markerSeen, false);
  assert.equal(c.takeAll(), `x${endMarker(6)}y`);
});

test('huge output keeps the head, counts what it drops, and still finds the marker', () => {
  const c = new StreamCapture(1024);
  c.expect(endMarker(3));
  for (let i = 0; i < 100; i++) c.push(Buffer.alloc(1000, 0x61));
  c.push(Buffer.from(`tail${endMarker(3)}`));
  assert.ok(c.markerSeen);
  const text = c.takeToMarker();
  assert.ok(text.startsWith('a'.repeat(1024)));
  assert.match(text, /\[… \d+ bytes of output not kept …\]/);
  assert.ok(text.endsWith('tail'));
  assert.ok(text.length < 4096);
});
