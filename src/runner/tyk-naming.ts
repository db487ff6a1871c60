/**
 * Tyk's Go plugin file naming, as the gateway resolves it (TykTechnologies/tyk,
 * goplugin/plugin_name_builder.go, GetPluginFileNameToLoad): the configured path when that file
 * exists; otherwise `{name}_{version}_{GOOS}_{GOARCH}.so` in the same directory, the version as
 * configured minus any `-rc…` suffix; when that is missing too and the version has no leading
 * `v`, `{name}_v{version}_{GOOS}_{GOARCH}.so`. The gateway then loads the last name it built, so
 * a missing file is reported under that name.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface TykResolution {
  /** The file to load. */
  path: string;
  /** Every name tried, in order. */
  tried: string[];
  /** One sentence: which file was chosen and why. */
  message: string;
  exists: boolean;
}

/** Go's names for this machine, as Tyk puts them in the file name. */
export function goOsArch(
  platform: string = process.platform,
  arch: string = process.arch,
): { goos: string; goarch: string } {
  const goos = platform === 'win32' ? 'windows' : platform === 'sunos' ? 'solaris' : platform;
  const goarch =
    (
      {
        x64: 'amd64',
        ia32: '386',
        arm: 'arm',
        arm64: 'arm64',
        ppc64: 'ppc64le',
        s390x: 's390x',
        riscv64: 'riscv64',
        loong64: 'loong64',
        mips: 'mips',
        mipsel: 'mipsle',
      } as Record<string, string>
    )[arch] ?? arch;
  return { goos, goarch };
}

function versionedName(pluginPath: string, version: string, goos: string, goarch: string): string {
  const dir = path.dirname(pluginPath);
  const base = path.basename(pluginPath).replace(/\.so$/, '');
  const clean = version.split('-')[0] ?? version;
  return path.join(dir, `${base}_${clean}_${goos}_${goarch}.so`);
}

export function resolveTykPluginPath(
  pluginPath: string,
  gatewayVersion: string,
  opts: { goos?: string; goarch?: string; exists?: (p: string) => boolean } = {},
): TykResolution {
  const exists = opts.exists ?? ((p: string) => fs.existsSync(p));
  const { goos, goarch } = {
    ...goOsArch(),
    ...(opts.goos ? { goos: opts.goos } : {}),
    ...(opts.goarch ? { goarch: opts.goarch } : {}),
  };
  const tried = [pluginPath];
  if (exists(pluginPath)) {
    return {
      path: pluginPath,
      tried,
      exists: true,
      message: `Loading ${path.basename(pluginPath)}: the file exists, so Tyk ${gatewayVersion} would load it as named.`,
    };
  }
  let candidate = versionedName(pluginPath, gatewayVersion, goos, goarch);
  tried.push(candidate);
  const prefixed = gatewayVersion.startsWith('v') ? gatewayVersion : `v${gatewayVersion}`;
  if (!exists(candidate) && prefixed !== gatewayVersion) {
    candidate = versionedName(pluginPath, prefixed, goos, goarch);
    tried.push(candidate);
  }
  const found = exists(candidate);
  const names = tried.map((t) => path.basename(t)).join(', then ');
  return {
    path: candidate,
    tried,
    exists: found,
    message: found
      ? `Loading ${path.basename(candidate)}: ${path.basename(pluginPath)} does not exist, and this is the name Tyk ${gatewayVersion} looks for next on ${goos}/${goarch}.`
      : `No plugin file for Tyk ${gatewayVersion}: tried ${names} in ${path.dirname(pluginPath)}.`,
  };
}
