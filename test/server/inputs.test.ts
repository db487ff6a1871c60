import { test } from 'node:test';
import { fuzzClientFrames, fuzzCookies, fuzzDispatcher, fuzzPaths } from './input-fuzz.js';

// The fast subset of inputs.fuzz.ts: a few thousand cases each, so every run exercises the parsers.
test('request frames with mutated arguments always get a one-sentence reply', () => fuzzDispatcher(3000));
test('no URL path leaves the UI folder', () => fuzzPaths(5000));
test('cookie headers of any shape parse without throwing', () => fuzzCookies(5000));
test('garbage frames never break the client transport', () => fuzzClientFrames(3000));
