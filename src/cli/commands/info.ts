/**
 * `plugin-studio info FILE`: what a binary is (format, class, architecture, byte order, type),
 * what it needs (SONAME, libraries, search paths), its Go build info, and whether this host can
 * load it, with the reason when it cannot.
 */
import { parseCommandLine, UsageError } from '../usage.js';
import { FormatError } from '../../binary/errors.js';
import { openBinary } from '../../binary/open.js';
import type { BinaryFile } from '../../binary/types.js';

export const usage = `Usage: plugin-studio info FILE [--json]

Shows a binary's format, class, architecture, byte order, file type, SONAME, needed libraries,
Go build info, and whether this host can load it (with the reason when not).

Options:
  --json   print the information as one JSON object
`;

const OPTIONS = { json: { type: 'boolean' } } as const;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('expects exactly one FILE (see --help)');
  const path = positionals[0]!;
  let file: BinaryFile;
  try {
    file = openBinary(path, { demangle: false });
  } catch (err) {
    if (err instanceof FormatError) {
      process.stderr.write(`plugin-studio info: ${path}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  process.stdout.write(values.json ? `${JSON.stringify(infoJson(file), null, 2)}\n` : infoText(file));
  return 0;
}

/** `info` plus the counts and Studio ABI facts a person asks next. */
function infoJson(file: BinaryFile) {
  const abi = file.symbols.filter((s) => s.abi !== null && s.defined).map((s) => s.name);
  return {
    ...file.info,
    exports: file.symbols.filter((s) => s.defined).length,
    studioAbi: abi,
  };
}

function infoText(file: BinaryFile): string {
  const i = file.info;
  const rows: [string, string][] = [
    ['File', i.path],
    ['Format', i.description],
    ['Class', `${i.bits}-bit`],
    ['Architecture', `${i.machine} (${i.arch})`],
    ['Byte order', `${i.endian}-endian`],
    ['File type', i.fileType],
    ['OS', i.osAbi ? `${i.os} (OS/ABI ${i.osAbi})` : i.os],
  ];
  if (i.slices) {
    rows.push(['Slices', i.slices.map((s) => `${s.arch}${s.selected ? ' (read)' : ''}`).join(', ')]);
  }
  rows.push(['SONAME', i.soname ?? '(none)']);
  rows.push(['Needed', i.needed.length ? i.needed.join(', ') : '(none)']);
  if (i.rpath.length) rows.push(['RPATH', i.rpath.join(':')]);
  if (i.runpath.length) rows.push(['RUNPATH', i.runpath.join(':')]);
  const exports = file.symbols.filter((s) => s.defined);
  rows.push(['Exports', `${exports.length} defined dynamic symbols`]);
  const abi = exports.filter((s) => s.abi !== null).map((s) => s.name);
  rows.push([
    'Studio ABI',
    abi.includes('plugin_studio_abi_version')
      ? `yes (${abi.join(', ')})`
      : 'no (plugin_studio_abi_version not exported)',
  ]);
  const go = i.go;
  if (go) {
    const from = go.versionSource === 'none' ? '' : ` (from ${go.versionSource})`;
    rows.push(['Go version', go.version ? `${go.version}${from}` : 'unknown']);
    if (go.path) rows.push(['Go package', go.path]);
    if (go.main) rows.push(['Go module', `${go.main.path} ${go.main.version}`]);
    if (go.buildMode) rows.push(['Go build mode', go.buildMode]);
    rows.push(['Go plugin', go.isPlugin ? 'yes (-buildmode=plugin)' : 'no']);
    for (const [k, v] of go.settings) if (k !== '-buildmode') rows.push([`  ${k}`, v]);
    if (go.deps.length) {
      rows.push(['Go deps', `${go.deps.length}`]);
      for (const d of go.deps)
        rows.push([
          '',
          `${d.path} ${d.version}${d.replace ? ` => ${d.replace.path} ${d.replace.version}` : ''}`,
        ]);
    }
  }
  rows.push([
    'Loadable',
    i.loadable.ok ? 'yes, on this machine' : `no: ${i.loadable.reason ?? 'unknown reason'}`,
  ]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${(k ? `${k}:` : '').padEnd(width)}${v}\n`).join('');
}
