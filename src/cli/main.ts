/**
 * `plugin-studio` entry. Each command lives in its own module, imported only when that command runs,
 * so `--help` and light commands start without loading koffi, the UI server or the fixture parsers.
 */
import { UsageError } from './usage.js';

interface CommandEntry {
  summary: string;
  load: () => Promise<{ run(args: string[]): Promise<number>; usage: string }>;
}

const COMMANDS: Record<string, CommandEntry> = {
  symbols: {
    summary: 'list the symbols of a plugin or any shared library',
    load: () => import('./commands/symbols.js'),
  },
  info: {
    summary: 'format, architecture, dependencies, Go build info; can this host load it',
    load: () => import('./commands/info.js'),
  },
  call: {
    summary: 'run one handler against a request and show what it did',
    load: () => import('./commands/call.js'),
  },
  bench: {
    summary: 'call a handler many times: calls per second and latency percentiles',
    load: () => import('./commands/bench.js'),
  },
  serve: {
    summary: 'run the studio in a browser (loopback only, token-guarded)',
    load: () => import('./commands/serve.js'),
  },
  import: {
    summary: 'turn curl commands, HAR files and .http files into fixtures',
    load: () => import('./commands/import.js'),
  },
  export: {
    summary: 'print a fixture as a curl command or an .http request',
    load: () => import('./commands/export.js'),
  },
  test: {
    summary: 'replay fixtures against a plugin and check their expectations',
    load: () => import('./commands/test.js'),
  },
};

export function topLevelHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'plugin-studio: open a native API-gateway plugin, list its symbols, run its handlers safely.',
    '',
    'Usage: plugin-studio <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `plugin-studio <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topLevelHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(
      `plugin-studio: unknown command "${name}". Run \`plugin-studio --help\` for the list.\n`,
    );
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`plugin-studio ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
