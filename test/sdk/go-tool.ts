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

// The builder is a plain .mjs module without type declarations: imported through a variable so
// TypeScript takes the shape declared here.
const BUILDER_URL = new URL('../../scripts/build-examples.mjs', import.meta.url).href;
/** The environment for `go build`, exactly as the examples are built (scripts/build-examples.mjs). */
export const { goEnv } = (await import(BUILDER_URL)) as { goEnv: () => NodeJS.ProcessEnv };

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
