import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/** True when `cmd` runs. */
export function hasTool(cmd: string, versionArg = '--version'): boolean {
  const r = spawnSync(cmd, [versionArg], { stdio: 'ignore' });
  return r.error === undefined;
}

/**
 * Skips the test when a toolchain is missing on a developer's machine; under CI=true a missing
 * toolchain is a failure, never a silent skip.
 */
export function requireTool(t: TestContext, cmd: string, pkg: string, versionArg = '--version'): boolean {
  if (hasTool(cmd, versionArg)) return true;
  const msg = `${cmd} not found (Debian package ${pkg})`;
  if (process.env.CI === 'true') throw new Error(`${msg}: CI must install it (.ci/run)`);
  t.skip(msg);
  return false;
}
