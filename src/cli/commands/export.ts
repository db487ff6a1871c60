/** `plugin-studio export FIXTURE --format curl|http`: the fixture's request on stdout. */
import fs from 'node:fs';
import { parseCommandLine, UsageError } from '../usage.js';

export const usage = `Usage: plugin-studio export FIXTURE... --format curl|http

Prints the request of each fixture file as a curl command (bash) or as an .http request.
The curl form is exact (method, URL, headers in order, body bytes); the .http form says on stderr
when a body cannot be written exactly (binary, trailing line ends).
`;

const OPTIONS = { format: { type: 'string' } } as const;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (positionals.length === 0) throw new UsageError('needs a FIXTURE file (see --help)');
  const format = values.format ?? 'curl';
  if (format !== 'curl' && format !== 'http')
    throw new UsageError(`--format must be curl or http, not "${format}"`);
  const { parseFixtureText, FixtureFormatError, toCurl, toHttp } = await import('../../fixtures/index.js');
  const fixtures = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      process.stderr.write(
        `plugin-studio export: ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}\n`,
      );
      return 1;
    }
    try {
      fixtures.push(parseFixtureText(text));
    } catch (err) {
      if (!(err instanceof FixtureFormatError)) throw err;
      process.stderr.write(
        `plugin-studio export: ${file}${err.line ? `:${err.line}` : ''}: ${err.message}\n`,
      );
      return 1;
    }
  }
  if (format === 'curl') {
    process.stdout.write(fixtures.map((f) => toCurl(f.request)).join('\n'));
    return 0;
  }
  const out = toHttp(fixtures.map((f) => ({ name: f.name, request: f.request })));
  for (const w of out.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(out.text);
  return 0;
}
