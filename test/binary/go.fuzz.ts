/** Long fuzz campaign for the Go build info reader: 100,000 mutated cases per file. */
import { test } from 'node:test';
import { requireTool } from '../helpers/tools.js';
import { buildGoModule, buildGoTykPlugin } from '../plugins/go-tyk/build.js';
import { fuzzGoInfo } from './go-fuzz.js';

test('Go build info survives 100,000 mutations of each Go binary', { timeout: 3_600_000 }, (t) => {
  if (!requireTool(t, 'go', 'golang-go', 'version')) return;
  const cshared = buildGoModule(
    'cshared',
    {
      'go.mod': 'module example.com/studio-cshared\n\ngo 1.18\n',
      'main.go':
        'package main\n\nimport "C"\n\n//export Hello\nfunc Hello() C.int { return 1 }\n\nfunc main() {}\n',
    },
    ['-buildmode=c-shared', '.'],
    'cshared-fuzz.so',
  );
  const { maxMs } = fuzzGoInfo(
    [buildGoTykPlugin('plain'), cshared],
    100_000,
    Number(process.env.FUZZ_SEED ?? 1),
  );
  t.diagnostic(`slowest case: ${maxMs.toFixed(1)} ms of CPU`);
});
