// Fuzz campaign: the fixture parser gets 100,000 mutated inputs built from real material; every one must
// give a result or a clear one-line error, never a crash or a hang (npm run test:fuzz).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from '../fixtures/fuzz-harness.js';

test('fuzz: the fixture parser survives 100,000 mutated inputs', { timeout: 3_600_000 }, async () => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261127);
  const report = await runFuzz({
    target: 'fixture',
    iterations: Number(process.env.FUZZ_ITERATIONS ?? 100_000),
    seed,
  });
  process.stdout.write(
    `# fixture: ${report.iterations} inputs, ${report.results} results, ${report.clearErrors} clear errors, slowest ${report.slowestMs.toFixed(1)} ms, heap ${report.heapUsedMb} MB (seed ${seed})\n`,
  );
  assert.equal(report.hang, null, `hang on input: ${JSON.stringify(report.hang?.slice(0, 4000))}`);
  assert.deepEqual(
    report.failures.map((f) => ({ error: f.error, input: f.input.slice(0, 4000) })),
    [],
  );
  assert.equal(report.results + report.clearErrors, report.iterations);
});
