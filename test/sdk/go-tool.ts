// Runs the Go toolchain on the Go SDK the way scripts/build-examples.mjs builds plugins: modules
// only, never the network.
import { execFile } from 'node:child_process';
import path from 'node:path';

export const GO_SDK = path.resolve(new URL('../../sdk/go', import.meta.url).pathname);

export function goEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CGO_ENABLED: '1',
    GO111MODULE: 'on',
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOWORK: 'off',
  };
  if (!env.GOCACHE && !env.HOME && !env.XDG_CACHE_HOME)
    env.GOCACHE = path.resolve(GO_SDK, '../../build/go-cache');
  return env;
}

export function go(args: string[], timeoutMs = 300_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'go',
      args,
      { cwd: GO_SDK, env: goEnv(), timeout: timeoutMs, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}
