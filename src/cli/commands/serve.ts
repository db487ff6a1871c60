/** `plugin-studio serve`: the studio in a browser, on 127.0.0.1 only, guarded by a token. */
import { parseCommandLine, UsageError } from '../usage.js';

export const usage = `Usage: plugin-studio serve [PLUGIN] [--port N] [--no-open]

Runs the studio in your browser. It listens on 127.0.0.1 only and prints a URL with a random
access token; open that URL (from another machine: through an SSH tunnel to the same port).

  PLUGIN       the plugin to open (default: the bundled example plugin, when built)
  --port N     listen on port N (default: any free port)
  --no-open    do not open a browser; just print the URL
`;

function openBrowser(url: string, spawn: typeof import('node:child_process').spawn): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () =>
      process.stderr.write(`plugin-studio serve: could not open a browser; open the URL above yourself.\n`),
    );
    child.unref();
  } catch {
    process.stderr.write(`plugin-studio serve: could not open a browser; open the URL above yourself.\n`);
  }
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    port: { type: 'string' },
    'no-open': { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError('give at most one plugin file');
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535)
      throw new UsageError(`--port must be a port number (1-65535), not "${values.port}"`);
  }

  const path = await import('node:path');
  const fs = await import('node:fs');
  const { spawn } = await import('node:child_process');
  const { StudioService, createEngine, defaultDataDir, defaultPluginPath, packageRoot } =
    await import('../../studio/index.js');
  const { startStudioServer } = await import('../../server/studio-server.js');
  const { spawnChildHost } = await import('../../runner/index.js');

  const service = new StudioService({
    engine: createEngine({ dataDir: defaultDataDir() }),
    spawn: spawnChildHost,
  });
  const plugin = positionals[0] ?? (fs.existsSync(defaultPluginPath()) ? defaultPluginPath() : null);
  if (plugin !== null) {
    try {
      const state = await service.open(plugin);
      if (state.error) process.stderr.write(`plugin-studio serve: ${state.error}\n`);
    } catch (err) {
      process.stderr.write(`plugin-studio serve: ${err instanceof Error ? err.message : String(err)}\n`);
      if (positionals[0] !== undefined) return 1;
    }
  }

  const staticDir = path.join(packageRoot(), 'dist', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    process.stderr.write(
      'plugin-studio serve: the UI is not built (dist/renderer); run `npm run build:renderer`.\n',
    );
  }
  let server;
  try {
    server = await startStudioServer({ api: service, staticDir, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(
      `plugin-studio serve: cannot listen on 127.0.0.1:${port}: ${code === 'EADDRINUSE' ? 'the port is in use' : err instanceof Error ? err.message : String(err)}.\n`,
    );
    await service.dispose();
    return 1;
  }
  process.stdout.write(`Plugin Studio is running at ${server.url}\n`);
  if (!values['no-open']) openBrowser(server.url, spawn);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await service.dispose();
  return 0;
}
