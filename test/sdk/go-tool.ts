// Runs the Go toolchain on the Go SDK the way scripts/build-examples.mjs builds plugins: modules
// only, never the network.
import { execFile } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
export const GO_SDK = path.join(ROOT, 'sdk/go');
/** Every Go module of the SDK's part: the SDK, its example, the crash-matrix plugin. */
export const GO_MODULES = [
  GO_SDK,
  path.join(ROOT, 'examples/go-cshared'),
  path.join(ROOT, 'test/plugins/go/crash'),
];

export function goEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CGO_ENABLED: '1',
    GO111MODULE: 'on',
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOWORK: 'off',
  };
  if (!env.GOCACHE && !env.HOME && !env.XDG_CACHE_HOME) env.GOCACHE = path.join(ROOT, 'build/go-cache');
  return env;
}

export function go(
  args: string[],
  timeoutMs = 300_000,
  cwd = GO_SDK,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'go',
      args,
      { cwd, env: goEnv(), timeout: timeoutMs, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}
