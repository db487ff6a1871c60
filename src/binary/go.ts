/**
 * Go detection and build info, for every format, after the format's reader ran.
 *
 * Sources, best first:
 * 1. The build info blob (`.go.buildinfo`, Mach-O `__go_buildinfo`, found by its magic in PE's
 *    `.data`): Go version and modinfo (main module, deps, build settings). Both layouts: Go 1.18+
 *    inline varint strings, and the older pointers to string headers.
 * 2. `runtime.buildVersion`: the string header behind that symbol, followed into the file.
 * 3. The DWARF compile units' DW_AT_producer (`Go cmd/compile go1.19.8; -race -shared -dynlink`):
 *    Go 1.19 writes no build info for -buildmode=plugin, and a plugin does not keep
 *    runtime.buildVersion (only the host's runtime uses it), but unstripped plugins carry DWARF,
 *    whose producer also names the compiler flags that must match the host (-race).
 * For plugins without build info, -trimpath is read from the file table of the pc-line table:
 * standard library files appear as `runtime/proc.go` when trimmed, `/…/src/runtime/proc.go` when not.
 */
import zlib from 'node:zlib';
import type { BinaryFile, GoBuildInfo, GoModule, SectionRef, SymbolRecord } from './types.js';
import type { ByteSource } from './source.js';
import { FormatError } from './errors.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const MAX_MODINFO = 1 << 20;
const SCAN_CHUNK = 1 << 16;
const DWARF_HEAD = 1 << 12;
/** A corrupt deflate stream can expand a thousandfold; a real DWARF head never does. */
const MAX_INFLATE = 1 << 20;

export function readGoBuildInfo(src: ByteSource, file: BinaryFile): GoBuildInfo | null {
  const ctx = new GoFile(src, file);
  const blob = ctx.findBuildInfo();
  const goSymbols = file.symbols.some(isGoRuntimeSymbol);
  let parsed: { version: string | null; modinfo: string } | null = null;
  if (blob !== null) parsed = ctx.parseBuildInfo(blob);
  if (!parsed && !goSymbols && !ctx.hasGoSection()) return null;

  const info: GoBuildInfo = {
    version: null,
    versionSource: 'none',
    path: null,
    main: null,
    deps: [],
    settings: [],
    buildMode: null,
    isPlugin: false,
  };
  if (parsed) {
    info.version = parsed.version;
    info.versionSource = parsed.version ? 'buildinfo' : 'none';
    Object.assign(info, parseModInfo(parsed.modinfo));
    info.buildMode = info.settings.find(([k]) => k === '-buildmode')?.[1] ?? null;
  }
  if (!info.version) {
    const v = ctx.runtimeBuildVersion();
    if (v) {
      info.version = v;
      info.versionSource = 'runtime.buildVersion';
    }
  }
  const producer = ctx.dwarfProducer();
  if (producer) {
    info.compiler = producer;
    if (!info.version && producer.version) info.version = producer.version;
  }
  info.isPlugin = info.buildMode === 'plugin' || file.symbols.some(isPluginMarker);
  info.buildMode ??= inferBuildMode(info, file);
  if (parsed) info.trimpath = info.settings.some(([k, v]) => k === '-trimpath' && v === 'true');
  else info.trimpath = ctx.trimpathFromFileTable();
  if (info.isPlugin) nameGoExports(file.symbols);
  return info;
}

/** Go 1.19 records -buildmode only for some modes; the rest follows from the file and the compiler flags. */
function inferBuildMode(info: GoBuildInfo, file: BinaryFile): string | null {
  if (info.isPlugin) return 'plugin';
  const shared = info.compiler?.flags.includes('-shared') ?? false;
  const type = file.info.fileType;
  if (type === 'shared' || type === 'dylib' || type === 'dll')
    return shared || info.version ? 'c-shared' : null;
  if (type === 'pie') return 'pie';
  if (type === 'executable') return 'exe';
  return null;
}

function isGoRuntimeSymbol(s: SymbolRecord): boolean {
  return (
    s.name === 'runtime.main' ||
    s.name === 'runtime.goexit' ||
    s.name.startsWith('go.link.') ||
    s.name === 'runtime.buildVersion' ||
    s.name.startsWith('_cgo_') ||
    s.name === 'crosscall2'
  );
}

/** Only -buildmode=plugin exports the package hashes the host checks when it loads the plugin. */
function isPluginMarker(s: SymbolRecord): boolean {
  return (s.defined && s.name.startsWith('go.link.pkghashbytes.')) || s.name.startsWith('plugin/unnamed-');
}

/**
 * A plugin exports every Go symbol as `<package path>.<Name>`; goName is set on the exported
 * functions and variables of non-standard-library packages (the plugin's own code and its
 * modules). Which of them plugin.Lookup returns is decided by the bridge.
 */
function nameGoExports(symbols: SymbolRecord[]): void {
  for (const s of symbols) {
    if (!s.defined || (s.kind !== 'func' && s.kind !== 'object')) continue;
    const slash = s.name.lastIndexOf('/');
    const dot = s.name.indexOf('.', slash + 1);
    if (dot <= 0) continue;
    const pkg = s.name.slice(0, dot);
    const ident = s.name.slice(dot + 1);
    if (!/^[A-Z][\p{L}\p{N}_]*$/u.test(ident)) continue;
    const first = pkg.split('/')[0]!;
    if (!first.includes('.') && !pkg.startsWith('plugin/unnamed-')) continue;
    s.goName = s.name;
  }
}

/** modinfo lines: `path`, `mod`, `dep`, `=>` (replaces the previous module), `build key=value`. */
export function parseModInfo(text: string): Pick<GoBuildInfo, 'path' | 'main' | 'deps' | 'settings'> {
  const out: Pick<GoBuildInfo, 'path' | 'main' | 'deps' | 'settings'> = {
    path: null,
    main: null,
    deps: [],
    settings: [],
  };
  let last: GoModule | null = null;
  for (const line of text.split('\n')) {
    const [kind, ...f] = line.split('\t');
    const mod = (): GoModule => {
      const m: GoModule = { path: f[0] ?? '', version: f[1] ?? '' };
      if (f[2]) m.sum = f[2];
      return m;
    };
    switch (kind) {
      case 'path':
        out.path = f[0] ?? null;
        break;
      case 'mod':
        out.main = last = mod();
        break;
      case 'dep':
        last = mod();
        out.deps.push(last);
        break;
      case '=>':
        if (last) last.replace = mod();
        break;
      case 'build': {
        const kv = f.join('\t');
        const setting = parseSetting(kv);
        if (setting) out.settings.push(setting);
        break;
      }
    }
  }
  return out;
}

/** `key=value`, where Go quotes either side with strconv.Quote when it holds spaces, `=` or quotes. */
function parseSetting(kv: string): [string, string] | null {
  let rest = kv;
  let key: string;
  if (rest.startsWith('"')) {
    const q = readQuoted(rest);
    if (!q) return null;
    key = q.value;
    rest = rest.slice(q.length);
    if (!rest.startsWith('=')) return null;
    rest = rest.slice(1);
  } else {
    const eq = rest.indexOf('=');
    if (eq < 0) return null;
    key = rest.slice(0, eq);
    rest = rest.slice(eq + 1);
  }
  if (rest.startsWith('"')) {
    const q = readQuoted(rest);
    return q ? [key, q.value] : [key, rest];
  }
  return [key, rest];
}

function readQuoted(s: string): { value: string; length: number } | null {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === '"') {
      try {
        return { value: JSON.parse(s.slice(0, i + 1)) as string, length: i + 1 };
      } catch {
        return { value: s.slice(1, i), length: i + 1 };
      }
    }
  }
  return null;
}

class GoFile {
  constructor(
    private readonly src: ByteSource,
    private readonly file: BinaryFile,
  ) {}

  private get little(): boolean {
    return this.file.info.endian === 'little';
  }

  private section(test: (name: string) => boolean): SectionRef | undefined {
    return this.file.sections.find((s) => s.hasBytes && s.size > 0 && test(s.name));
  }

  hasGoSection(): boolean {
    return this.file.sections.some((s) =>
      /(^|[.,_])(go\.buildinfo|go_buildinfo|gopclntab|note\.go\.buildid)$/.test(s.name),
    );
  }

  /** File offset of the build info header, or null. */
  findBuildInfo(): number | null {
    const named = this.section((n) => n === '.go.buildinfo' || n.endsWith('__go_buildinfo'));
    if (named && named.size >= 32) {
      const head = this.src.read(named.offset, 14, 'Go build info');
      if (Buffer.from(head).equals(MAGIC)) return named.offset;
    }
    if (this.file.info.format === 'pe' || this.file.info.format === 'macho') {
      // Older Go for PE (and some Mach-O) puts the blob in the data section, 16-byte aligned.
      const data = this.section((n) => n === '.data' || n.endsWith('__data') || n.endsWith('__noptrdata'));
      if (data) return this.scan(data, MAGIC, (abs) => (abs - data.offset) % 16 === 0);
    }
    return null;
  }

  /** Chunked search of a section: only the bytes up to the match are read. */
  private scan(
    sec: SectionRef,
    needle: Uint8Array,
    accept: (abs: number) => boolean = () => true,
  ): number | null {
    const end = Math.min(sec.offset + sec.size, this.src.size);
    let pos = sec.offset;
    while (pos < end) {
      const len = Math.min(SCAN_CHUNK + needle.length, end - pos);
      const chunk = Buffer.from(this.src.read(pos, len, sec.name));
      let from = 0;
      for (;;) {
        const i = chunk.indexOf(needle, from);
        if (i < 0) break;
        if (accept(pos + i)) return pos + i;
        from = i + 1;
      }
      if (len < SCAN_CHUNK + needle.length) break;
      pos += SCAN_CHUNK;
    }
    return null;
  }

  parseBuildInfo(at: number): { version: string | null; modinfo: string } | null {
    const head = this.src.read(at, 32, 'Go build info header');
    const ptrSize = head[14]!;
    const flags = head[15]!;
    if (flags & 2) {
      let off = at + 32;
      const version = this.varString(off);
      if (!version) return null;
      off = version.next;
      const mod = this.varString(off);
      return { version: version.text || null, modinfo: stripSentinels(mod?.text ?? '') };
    }
    if (ptrSize !== 4 && ptrSize !== 8)
      throw new FormatError(`corrupt Go build info: pointer size ${ptrSize}`, at + 14);
    const big = (flags & 1) !== 0;
    const versionPtr = this.readPtr(head, 16, ptrSize, big);
    const modPtr = this.readPtr(head, 16 + ptrSize, ptrSize, big);
    const version = this.stringAtHeader(versionPtr, ptrSize, big);
    const mod = this.stringAtHeader(modPtr, ptrSize, big);
    return { version, modinfo: stripSentinels(mod ?? '') };
  }

  private varString(off: number): { text: string; next: number } | null {
    if (off >= this.src.size) return null;
    const lenBytes = this.src.read(off, Math.min(10, this.src.size - off), 'Go build info');
    let n = 0;
    let shift = 0;
    let i = 0;
    for (; i < lenBytes.length; i++) {
      const b = lenBytes[i]!;
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (i === lenBytes.length || n > MAX_MODINFO) return null;
    const start = off + i + 1;
    if (start + n > this.src.size) return null;
    return {
      text: Buffer.from(this.src.read(start, n, 'Go build info string')).toString('utf8'),
      next: start + n,
    };
  }

  private readPtr(bytes: Uint8Array, at: number, size: number, big: boolean): number {
    const v = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (size === 4) return big ? v.readUInt32BE(at) : v.readUInt32LE(at);
    const n = big ? v.readBigUInt64BE(at) : v.readBigUInt64LE(at);
    return n > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(n);
  }

  /** Maps a virtual address to a file offset through the sections that hold bytes. */
  private offsetOf(addr: number, length: number): number | null {
    if (addr <= 0) return null;
    for (const s of this.file.sections) {
      if (!s.hasBytes || s.addr === 0) continue;
      if (addr >= s.addr && addr + length <= s.addr + s.size) return s.offset + (addr - s.addr);
    }
    return null;
  }

  /** A Go string header (data pointer, length) at `addr`, followed to its bytes. */
  private stringAtHeader(addr: number, ptrSize: number, big: boolean): string | null {
    const hoff = this.offsetOf(addr, ptrSize * 2);
    if (hoff === null) return null;
    const header = this.src.read(hoff, ptrSize * 2, 'Go string header');
    const data = this.readPtr(header, 0, ptrSize, big);
    const len = this.readPtr(header, ptrSize, ptrSize, big);
    if (len < 0 || len > MAX_MODINFO) return null;
    if (len === 0) return '';
    const doff = this.offsetOf(data, len);
    if (doff === null) return null;
    return Buffer.from(this.src.read(doff, len, 'Go string')).toString('utf8');
  }

  runtimeBuildVersion(): string | null {
    const sym = this.file.symbols.find((s) => s.name === 'runtime.buildVersion' && s.defined);
    if (!sym) return null;
    const addr = Number.parseInt(sym.address, 16);
    const ptrSize = this.file.info.bits === 64 ? 8 : 4;
    const v = this.stringAtHeader(addr, ptrSize, !this.little);
    return v && /^(go|devel)/.test(v) ? v : null;
  }

  dwarfProducer(): GoBuildInfo['compiler'] | null {
    const sec = this.section((n) => /(^|[.,_])(z?debug_info)$/.test(n));
    if (!sec) return null;
    // The first compile unit's producer sits in the first few hundred bytes of the section.
    const head = Buffer.from(this.src.read(sec.offset, Math.min(sec.size, DWARF_HEAD), 'DWARF info'));
    let text: Buffer;
    try {
      text = inflateDebug(head, sec.name, this.file.info.bits, this.little);
    } catch {
      return null;
    }
    const m = /Go cmd\/compile (go[0-9][^\s;\0]*|devel[^;\0]*)(?:; ([^\0]*))?\0/.exec(
      text.toString('latin1'),
    );
    if (!m) return null;
    const flags = (m[2] ?? '').split(' ').filter((f) => f !== '');
    return { producer: m[0].slice(0, -1), version: m[1]!.trim(), flags };
  }

  trimpathFromFileTable(): boolean | null {
    const sec =
      this.section((n) => n === '.gopclntab' || n.endsWith('__gopclntab')) ??
      this.section((n) => n === '.data.rel.ro') ??
      this.section((n) => n === '.rdata' || n.endsWith('__rodata'));
    if (!sec) return null;
    const at = this.scan(sec, Buffer.from('runtime/proc.go\0', 'latin1'));
    if (at === null || at === sec.offset) return null;
    const before = this.src.read(at - 1, 1, 'Go file table')[0]!;
    if (before === 0) return true;
    if (before === 0x2f) return false;
    return null;
  }
}

/** Go's modinfo is wrapped in two 16-byte sentinels. */
function stripSentinels(s: string): string {
  if (s.length >= 33 && s[s.length - 17] === '\n') return s.slice(16, s.length - 16);
  return s;
}

/**
 * The start of a debug section as text: SHF_COMPRESSED sections (an Elf_Chdr, then zlib), the older
 * `.zdebug_*` ("ZLIB" + 8-byte size, then zlib), or plain bytes. Only the head is inflated.
 */
function inflateDebug(head: Buffer, name: string, bits: 32 | 64, little: boolean): Buffer {
  const chdr = bits === 64 ? 24 : 12;
  const type = head.length >= 4 ? (little ? head.readUInt32LE(0) : head.readUInt32BE(0)) : 0;
  let stream: Buffer | null = null;
  if (name.includes('zdebug') && head.subarray(0, 4).toString('latin1') === 'ZLIB')
    stream = head.subarray(12);
  else if (type === 1 && head.length > chdr && head[chdr] === 0x78) stream = head.subarray(chdr);
  if (!stream) return head;
  return zlib.inflateSync(stream, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: MAX_INFLATE });
}
