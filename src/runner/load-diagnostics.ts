/**
 * Why a library cannot be loaded, in one sentence, before or instead of the dynamic loader's raw
 * text: a missing dependency (which one, and where it was looked for), another architecture, not a
 * shared library at all, a glibc symbol version this machine lacks, an unresolved symbol.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BinaryInfo } from '../binary/types.js';

const SHARED_TYPES = new Set(['shared', 'dylib', 'bundle', 'dll']);

/** Default directories of the GNU dynamic loader after the cache, for this machine. */
function defaultDirs(): string[] {
  const triplet =
    process.arch === 'x64' ? 'x86_64-linux-gnu' : process.arch === 'arm64' ? 'aarch64-linux-gnu' : null;
  const dirs = ['/lib', '/usr/lib', '/lib64', '/usr/lib64'];
  return triplet ? [`/lib/${triplet}`, `/usr/lib/${triplet}`, ...dirs] : dirs;
}

/** The directories a Linux loader searches for a plugin's dependencies, in order, with what they are. */
export function searchPath(info: Pick<BinaryInfo, 'rpath' | 'runpath' | 'path'>): string[] {
  const origin = path.dirname(info.path);
  const expand = (d: string): string => d.replace(/\$(\{ORIGIN\}|ORIGIN)/g, origin);
  const out: string[] = [];
  // DT_RPATH applies only when there is no DT_RUNPATH.
  if (info.runpath.length === 0) out.push(...info.rpath.flatMap((r) => r.split(':')).map(expand));
  out.push(...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean));
  out.push(...info.runpath.flatMap((r) => r.split(':')).map(expand));
  out.push(...defaultDirs());
  return [...new Set(out.filter(Boolean))];
}

function existsIn(name: string, dirs: string[]): boolean {
  if (name.includes('/')) return fs.existsSync(name);
  return dirs.some((d) => fs.existsSync(path.join(d, name)));
}

let glibc: string | null | undefined;

/** This machine's glibc version; Node's diagnostic report is the one place that names it (slow: once). */
function glibcVersion(): string | null {
  if (glibc === undefined) {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
      ?.header;
    glibc = header?.glibcVersionRuntime ?? null;
  }
  return glibc;
}

/** Problems visible in the file itself, before any load is tried; null when it looks loadable. */
export function precheck(info: BinaryInfo): string | null {
  const base = path.basename(info.path);
  const how =
    info.fileType === 'object'
      ? 'link it into a shared library (gcc -shared -o libname.so file.o)'
      : 'build it with -shared (C, C++, Rust cdylib) or -buildmode=c-shared / -buildmode=plugin (Go)';
  if (!info.loadable.ok) {
    const reason = (info.loadable.reason ?? info.description).replace(/\.$/, '');
    const sentence = reason.startsWith(base) ? reason : `${base}: ${reason}`;
    return SHARED_TYPES.has(info.fileType) ? `${sentence}.` : `${sentence}; ${how}.`;
  }
  if (!SHARED_TYPES.has(info.fileType))
    return `${base} is ${article(info.description)} ${info.description}, not a shared library: ${how}.`;
  return null;
}

function article(word: string): string {
  return /^[aeiouAEIOU]|^ELF|^Mach|^MZ|^x86/.test(word) ? 'an' : 'a';
}

/**
 * The sentence for a failed load. `detail` is the loader's message (dlerror, Go's plugin.Open);
 * `info` is what the symbol reader found in the file, when it could read it.
 */
export function explainLoadError(
  pluginPath: string,
  detail: string | null,
  info: BinaryInfo | null,
  notBinaryReason: string | null = null,
): string {
  const base = path.basename(pluginPath);
  if (!fs.existsSync(pluginPath)) return `There is no file at ${pluginPath}.`;
  if (notBinaryReason) return `${base} is not a shared library: ${notBinaryReason.replace(/\.$/, '')}.`;
  if (info) {
    const pre = precheck(info);
    if (pre) return pre;
  }
  const d = detail ?? '';
  const glibc = /version `(GLIBC_[\d.]+)' not found \(required by ([^)]+)\)/.exec(d);
  if (glibc) {
    const have = glibcVersion();
    return `${base} needs the C library version ${glibc[1]}, which this machine's glibc${have ? ` ${have}` : ''} does not have: rebuild the plugin on a system with an older glibc (or in a container of this system's release).`;
  }
  const version = /version `([^']+)' not found \(required by ([^)]+)\)/.exec(d);
  if (version)
    return `${path.basename(version[2] ?? base)} needs symbol version ${version[1]}, which the installed library does not provide: install the matching library version or rebuild the plugin here.`;
  const missing = /^(?:.*?: )?([^:\s]+): cannot open shared object file/m.exec(d);
  if (missing && missing[1] && path.basename(missing[1]) !== base) {
    const dirs = info ? searchPath(info) : defaultDirs();
    const others = info ? info.needed.filter((n) => n !== missing[1] && !existsIn(n, dirs)) : [];
    const also = others.length ? ` (also missing: ${others.join(', ')})` : '';
    return `${base} needs ${missing[1]}, which was not found${also}; the loader looked in ${dirs.join(', ')} and /etc/ld.so.cache. Install it, or put its directory in LD_LIBRARY_PATH.`;
  }
  const undef = /undefined symbol: (\S+)/.exec(d);
  if (undef)
    return `${base} uses the symbol ${undef[1]}, which none of the libraries it was linked with provide: it was probably linked without the library that defines it.`;
  if (
    /wrong ELF class|invalid ELF header|file too short|not a dynamic executable|ELF file's phentsize|mach-o, but wrong architecture|incompatible architecture/.test(
      d,
    )
  )
    return `${base} is not a shared library this machine can load (${d.replace(/^.*?: /, '').trim()}).`;
  if (/cannot dynamically load position-independent executable|cannot dynamically load executable/.test(d))
    return `${base} is an executable, not a shared library: build it with -shared (C) or -buildmode=c-shared (Go).`;
  if (/Permission denied/.test(d)) return `${base} cannot be read: permission denied.`;
  if (/plugin was built with a different version of package ([^\s]+)/.test(d)) {
    const pkg = /different version of package ([^\s]+)/.exec(d)?.[1] ?? '';
    return `${base} was built with a different version of the Go package ${pkg} than the studio's Go bridge: build the plugin and the bridge with the same Go toolchain and the same module versions.`;
  }
  return d
    ? `${base} could not be loaded: ${d.replace(/^Failed to load shared library: /, '')}`
    : `${base} could not be loaded.`;
}
