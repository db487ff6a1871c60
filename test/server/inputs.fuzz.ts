import { test } from 'node:test';
import { fuzzClientFrames, fuzzCookies, fuzzDispatcher, fuzzPaths } from './input-fuzz.js';

const N = 100_000;
test('dispatcher: 100,000 mutated request arguments', { timeout: 600_000 }, () => fuzzDispatcher(N, 11));
test('static paths: 100,000 hostile paths', { timeout: 600_000 }, () => fuzzPaths(N, 12));
test('cookies: 100,000 cookie headers', { timeout: 600_000 }, () => fuzzCookies(N, 13));
test('client frames: 100,000 server frames', { timeout: 600_000 }, () => fuzzClientFrames(N, 14));
