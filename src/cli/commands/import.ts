/**
 * `plugin-studio import`: curl commands, HAR files and .http/.rest files become fixture files in
 * --out. Notes (ignored curl flags, unresolved variables) go to stderr next to each fixture, so
 * nothing is lost silently; parts that could not be imported at all make the exit code 1.
 */
import path from 'node:path';
import { parseCommandLine, UsageError } from '../usage.js';

export const usage = `Usage: plugin-studio import SOURCE... --out DIR [--symbol SYMBOL] [--phase PHASE]
       plugin-studio import --curl 'COMMAND' --out DIR [--name NAME] [--symbol SYMBOL] [--phase PHASE]

Turns requests into fixture files (one YAML file per request) in DIR.
SOURCE is a .har file (each entry a fixture), an .http/.rest file (VS Code REST Client or JetBrains
HTTP Client) or a file of curl commands (bash or Windows cmd quoting, as "Copy as cURL" gives them).

Options:
  --out DIR        the fixtures folder to write to (created if needed)
  --curl COMMAND   import this one curl command instead of files
  --name NAME      the fixture's name (with --curl; default: method and URL)
  --symbol SYMBOL  the handler the fixtures target (default: the plugin's only handler)
  --phase PHASE    request (default) or response; response keeps a HAR entry's response as upstream
`;

const OPTIONS = {
  out: { type: 'string' },
  curl: { type: 'string' },
  name: { type: 'string' },
  symbol: { type: 'string' },
  phase: { type: 'string' },
} as const;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (!values.out) throw new UsageError('needs --out DIR, the fixtures folder to write to');
  if (values.curl === undefined && positionals.length === 0)
    throw new UsageError('needs a SOURCE file or --curl COMMAND (see --help)');
  if (values.curl !== undefined && positionals.length > 0)
    throw new UsageError('give either SOURCE files or --curl, not both');
  if (values.name !== undefined && values.curl === undefined) throw new UsageError('--name goes with --curl');
  if (values.phase !== undefined && values.phase !== 'request' && values.phase !== 'response')
    throw new UsageError(`--phase must be request or response, not "${values.phase}"`);
  const phase = (values.phase ?? 'request') as 'request' | 'response';
  const target = { phase, ...(values.symbol ? { symbol: values.symbol } : {}) };

  const { FixtureStore, ImportError, parseSource, toFixtures, importFile } =
    await import('../../fixtures/index.js');
  const store = new FixtureStore(values.out);
  let wrote = 0;
  let problems = 0;
  const report = (source: string, result: ReturnType<typeof toFixtures>) => {
    for (const p of result.problems) {
      problems++;
      process.stderr.write(`${source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
    }
    for (const f of result.fixtures) {
      const saved = store.save(f.fixture);
      wrote++;
      process.stdout.write(`${path.join(values.out!, saved.file)}  ${f.fixture.name}\n`);
      for (const note of f.notes) process.stderr.write(`  note: ${note}\n`);
    }
  };
  try {
    if (values.curl !== undefined) {
      const result = toFixtures(parseSource(values.curl, 'curl', { baseDir: process.cwd() }), target);
      if (result.fixtures.length > 1)
        throw new ImportError(`--curl takes one command; found ${result.fixtures.length}`);
      if (values.name && result.fixtures[0]) result.fixtures[0].fixture.name = values.name;
      if (result.fixtures.length === 0 && result.problems.length === 0)
        result.problems.push({ line: null, message: 'no curl command found' });
      report('--curl', result);
    } else {
      for (const source of positionals) {
        try {
          report(source, importFile(source, { target }));
        } catch (err) {
          if (!(err instanceof ImportError)) throw err;
          problems++;
          process.stderr.write(`${source}: ${err.message}\n`);
        }
      }
    }
  } catch (err) {
    if (err instanceof ImportError) {
      process.stderr.write(`plugin-studio import: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  process.stderr.write(
    `${wrote} fixture${wrote === 1 ? '' : 's'} written to ${values.out}${problems ? `, ${problems} problem${problems === 1 ? '' : 's'}` : ''}\n`,
  );
  return problems > 0 ? 1 : 0;
}
