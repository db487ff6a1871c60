/**
 * `plugin-studio` entry. Each command lives in its own module, imported only when that command runs,
 * so `--help` and light commands start without loading koffi, the UI server or the fixture parsers.
 */
import v8 from 'node:v8';
import { UsageError } from './usage.js';

interface CommandEntry {
  summary: string;
  load: () => Promise<{ run(args: string[]): Promise<number>; usage: string }>;
  /** Starts a plugin host and is over in a moment: see HOST_COMMAND_V8_FLAGS. */
  startsHost?: boolean;
}

/**
 * V8 optimises a function on a thread of its own once it has run a while (its interrupt budget).
 * In a command that starts a plugin host and ends a moment later, that compiling takes the
 * second core from the host while the host starts and runs the calls, and the optimised code is
 * used too briefly to pay for it: replaying 1,000 fixtures took 255 ms with V8's default and 215 ms
 * when only code that stays hot 16 times as long is optimised (10,000 fixtures: 785 against 850
 * ms; no optimising at all: 960 ms). Set before the command's modules load.
 */
const HOST_COMMAND_V8_FLAGS = ['--interrupt-budget=1081344'];

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
    startsHost: true,
  },
  bench: {
    summary: 'call a handler many times: calls per second and latency percentiles',
    load: () => import('./commands/bench.js'),
    startsHost: true,
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
    startsHost: true,
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
  if (entry.startsHost) for (const flag of HOST_COMMAND_V8_FLAGS) v8.setFlagsFromString(flag);
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
