/**
 * `plugin-studio test`: replays a folder of fixtures against a plugin, one line per fixture and a
 * closing `N passed, N failed`, optional JUnit XML, exit code 1 on any failure. Made for CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCommandLine, UsageError } from '../usage.js';
import type { FixtureRunResult } from '../../fixtures/replay.js';

export const usage = `Usage: plugin-studio test [DIR] --plugin PLUGIN [--junit FILE] [--update-snapshots] [--filter TEXT]

Runs every fixture in DIR (default: fixtures/ beside the plugin) against PLUGIN, checks each
fixture's expectations and prints one line per fixture, then "N passed, N failed".
A fixture without a target symbol runs the plugin's only handler for its phase.
A fixture without an expected outcome fails on panic, crash, timeout, error and abi_error.

Options:
  --plugin PLUGIN       the plugin file (.so, .dylib, .dll, or a Go plugin)
  --junit FILE          also write the results as JUnit XML
  --update-snapshots    record the current bodies as the snapshots instead of comparing them
  --filter TEXT         only fixtures whose name or file name contains TEXT
  --timeout MS          per-call time limit (default 10000)
`;

const OPTIONS = {
  plugin: { type: 'string' },
  junit: { type: 'string' },
  'update-snapshots': { type: 'boolean' },
  filter: { type: 'string' },
  timeout: { type: 'string' },
} as const;

/** Lines go out in batches: one write per turn of the event loop instead of one per fixture. */
class LineBuffer {
  private chunks: string[] = [];
  private scheduled = false;
  write(text: string): void {
    this.chunks.push(text);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }
  flush(): void {
    this.scheduled = false;
    if (this.chunks.length) process.stdout.write(this.chunks.join(''));
    this.chunks = [];
  }
}

function indent(text: string, prefix: string): string {
  const lines = text.split('\n');
  const shown = lines.length > 20 ? [...lines.slice(0, 20), `... (${lines.length - 20} more lines)`] : lines;
  return shown.map((l) => `${prefix}${l}`).join('\n');
}

function line(r: FixtureRunResult): string {
  const ms = r.result ? ` (${r.result.durationMs.toFixed(1)} ms)` : '';
  if (r.passed) {
    const snap = r.snapshotsWritten.length ? `, snapshot written: ${r.snapshotsWritten.join(', ')}` : '';
    return `PASS  ${r.name}${ms}${snap}\n`;
  }
  if (r.error !== null) return `FAIL  ${r.name} [${r.file}]: ${r.error}\n`;
  const out = [`FAIL  ${r.name} [${r.file}]${ms}`];
  for (const f of r.failures) {
    out.push(`      ${f.message}`);
    if (
      f.expected !== undefined &&
      f.actual !== undefined &&
      (f.expected.includes('\n') || f.actual.includes('\n'))
    ) {
      out.push(
        '      expected:',
        indent(f.expected, '        '),
        '      actual:',
        indent(f.actual, '        '),
      );
    }
  }
  if (r.result?.stderr) out.push('      stderr:', indent(r.result.stderr.trimEnd(), '        '));
  return `${out.join('\n')}\n`;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (!values.plugin) throw new UsageError('needs --plugin PLUGIN, the plugin to run the fixtures against');
  if (positionals.length > 1) throw new UsageError('takes at most one fixtures folder');
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new UsageError('--timeout must be a positive whole number of milliseconds');
  }
  const dir = positionals[0] ?? path.join(path.dirname(path.resolve(values.plugin)), 'fixtures');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    process.stderr.write(`plugin-studio test: the fixtures folder ${dir} does not exist\n`);
    return 1;
  }
  // The plugin host starts first (a process of its own, on another core when there is one); the
  // fixture modules load and the fixtures are read meanwhile. Only the modules replay needs are
  // loaded: the yaml package and zod only if a file is not in the form the studio writes.
  const { openPlugin, PluginOpenError } = await import('../../runner/index.js');
  const opening = openPlugin(values.plugin, timeoutMs ? { timeoutMs } : {});
  opening.catch(() => undefined);
  const { FixtureFolder } = await import('../../fixtures/folder.js');
  const { replayStore } = await import('../../fixtures/replay.js');
  const store = new FixtureFolder(dir, { stamps: false });
  const out = new LineBuffer();
  let session: Awaited<typeof opening> | null = null;
  try {
    const report = await replayStore(
      opening.then((s) => (session = s)),
      store,
      {
        filter: values.filter,
        updateSnapshots: values['update-snapshots'],
        onResult: (r) => out.write(line(r)),
      },
    );
    if (values.junit) {
      const { toJUnit } = await import('../../fixtures/junit.js');
      fs.mkdirSync(path.dirname(path.resolve(values.junit)), { recursive: true });
      fs.writeFileSync(values.junit, toJUnit(report, path.basename(values.plugin)));
    }
    if (report.runs.length === 0)
      process.stderr.write(`no fixtures${values.filter ? ` matching "${values.filter}"` : ''} in ${dir}\n`);
    out.write(`${report.passed} passed, ${report.failed} failed\n`);
    out.flush();
    return report.failed > 0 || report.runs.length === 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof PluginOpenError) {
      process.stderr.write(`plugin-studio test: ${values.plugin}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    out.flush();
    await (session as Awaited<typeof opening> | null)?.close();
  }
}
