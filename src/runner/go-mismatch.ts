/**
 * A Go plugin loads only into a host built by the same Go release with the same flags that change
 * package contents (-race, -trimpath, build tags) for the same GOOS/GOARCH. Loading a mismatched
 * plugin fails with Go's "plugin was built with a different version of package X", or worse, so the
 * plugin's build is compared with the bridge's before any load attempt.
 */
import type { BinaryInfo, GoBuildInfo } from '../binary/types.js';
import { goOsArch } from './tyk-naming.js';

export interface GoToolchain {
  /** The go command used. */
  go: string;
  /** `go1.19.8` */
  version: string;
  goos: string;
  goarch: string;
  goroot: string;
  cgo: boolean;
  cc: string;
}

/** Build flags of the bridge that must equal the plugin's. */
export interface BridgeFlags {
  race: boolean;
  trimpath: boolean;
  tags: string[];
}

/** What the file tells about the plugin's build; null where it cannot be known. */
export interface PluginBuild {
  version: string | null;
  goos: string | null;
  goarch: string | null;
  race: boolean | null;
  trimpath: boolean | null;
  tags: string[] | null;
  cgo: boolean | null;
}

export function pluginBuild(go: GoBuildInfo, info: Pick<BinaryInfo, 'os' | 'arch'>): PluginBuild {
  const setting = (k: string): string | undefined => go.settings.find(([key]) => key === k)?.[1];
  const fromFile = goOsArch(info.os, info.arch);
  const tags = setting('-tags');
  const race = setting('-race');
  const cgo = setting('CGO_ENABLED');
  return {
    version: go.version,
    goos: setting('GOOS') ?? (info.os === 'unknown' ? null : fromFile.goos),
    goarch: setting('GOARCH') ?? (info.arch === 'unknown' ? null : fromFile.goarch),
    race:
      race !== undefined
        ? race === 'true'
        : go.compiler
          ? go.compiler.flags.includes('-race')
          : go.settings.length > 0
            ? false
            : null,
    trimpath: go.trimpath ?? null,
    tags: tags !== undefined ? splitTags(tags) : go.settings.length > 0 ? [] : null,
    cgo: cgo !== undefined ? cgo === '1' : null,
  };
}

function splitTags(s: string): string[] {
  return s
    .split(/[,\s]+/)
    .filter((t) => t !== '')
    .sort();
}

/** The flags a bridge needs for this plugin: the plugin's own where known, otherwise Go's defaults. */
export function bridgeFlagsFor(build: PluginBuild): BridgeFlags {
  return { race: build.race ?? false, trimpath: build.trimpath ?? false, tags: build.tags ?? [] };
}

const RACE_PLATFORMS = new Set([
  'linux/amd64',
  'linux/arm64',
  'linux/ppc64le',
  'linux/s390x',
  'darwin/amd64',
  'darwin/arm64',
  'freebsd/amd64',
  'netbsd/amd64',
  'windows/amd64',
]);

function withFlags(flags: {
  race: boolean | null;
  trimpath: boolean | null;
  tags: string[] | null;
}): string[] {
  const out: string[] = [];
  if (flags.race) out.push('-race');
  if (flags.trimpath) out.push('-trimpath');
  if (flags.tags && flags.tags.length > 0) out.push(`-tags ${flags.tags.join(',')}`);
  return out;
}

function describeBuild(version: string, flags: string[]): string {
  return flags.length ? `${version} and ${flags.join(' ')}` : version;
}

/**
 * One sentence naming every difference and the fix, or null when the bridge can load the plugin.
 */
export function explainGoMismatch(build: PluginBuild, tc: GoToolchain, bridge: BridgeFlags): string | null {
  const problems: string[] = [];
  if (!tc.cgo) {
    return `The Go bridge needs cgo, but ${tc.go} has CGO_ENABLED=0: set CGO_ENABLED=1 and install a C compiler (gcc), then open the plugin again.`;
  }
  if (build.goos && build.goarch && (build.goos !== tc.goos || build.goarch !== tc.goarch)) {
    problems.push(
      `built for ${build.goos}/${build.goarch}, but this machine's Go builds for ${tc.goos}/${tc.goarch}`,
    );
  }
  const versionDiffers = build.version !== null && build.version !== tc.version;
  const raceDiffers = build.race !== null && build.race !== bridge.race;
  const trimDiffers = build.trimpath !== null && build.trimpath !== bridge.trimpath;
  const tagsDiffer = build.tags !== null && build.tags.join(',') !== [...bridge.tags].sort().join(',');
  if (bridge.race && !RACE_PLATFORMS.has(`${tc.goos}/${tc.goarch}`)) {
    problems.push(`-race, which ${tc.version} does not support on ${tc.goos}/${tc.goarch}`);
  }
  if (problems.length === 0 && !versionDiffers && !raceDiffers && !trimDiffers && !tagsDiffer) return null;

  const pluginFlags = withFlags(build);
  const plugin = `plugin built with ${describeBuild(build.version ?? 'an unknown Go version', pluginFlags)}`;
  const bridgeFlags = withFlags(bridge);
  const mine = `your toolchain is ${tc.version}${
    raceDiffers || trimDiffers || tagsDiffer
      ? ` and the bridge is built ${bridgeFlags.length ? `with ${bridgeFlags.join(' ')}` : 'without flags'}`
      : ''
  }`;
  const pluginWords: string[] = [];
  const bridgeWords: string[] = [];
  if (raceDiffers) {
    pluginWords.push(build.race ? 'with -race' : 'without -race');
    bridgeWords.push(bridge.race ? 'with -race' : 'without -race');
  }
  if (trimDiffers) {
    pluginWords.push(build.trimpath ? 'with -trimpath' : 'without -trimpath');
    bridgeWords.push(bridge.trimpath ? 'with -trimpath' : 'without -trimpath');
  }
  if (tagsDiffer) {
    pluginWords.push(build.tags!.length ? `with -tags ${build.tags!.join(',')}` : 'without build tags');
    bridgeWords.push(bridge.tags.length ? `with -tags ${bridge.tags.join(',')}` : 'without build tags');
  }
  const fixes: string[] = [];
  if (versionDiffers) {
    fixes.push(`install ${build.version} and set goToolchain (or PATH) to its go command`);
    fixes.push(
      `rebuild the plugin with ${tc.version}: go build -buildmode=plugin ${pluginFlags.join(' ')}`.trimEnd(),
    );
  } else if (bridgeWords.length) {
    fixes.push(
      `rebuild the plugin ${bridgeWords.join(' and ')} (go build -buildmode=plugin ${bridgeFlags.join(' ')})`.replace(
        ' )',
        ')',
      ),
    );
    fixes.push(`stop pinning the bridge's flags so the studio builds a bridge ${pluginWords.join(' and ')}`);
  }
  if (problems.length) {
    fixes.unshift(`rebuild the plugin for ${tc.goos}/${tc.goarch}`);
  }
  const what = problems.length ? `${plugin}, ${problems.join(', and ')}; ${mine}` : `${plugin}; ${mine}`;
  return `Cannot load this Go plugin: ${what}: ${fixes.join(', or ')}.`;
}
