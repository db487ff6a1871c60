/**
 * Demangling for display. C++ (Itanium) goes through the platform's own `__cxa_demangle`
 * (libstdc++ on Linux, libc++abi on macOS) called with koffi: its output is what binutils prints
 * (`nm -C`, `c++filt -i`) and it is several times faster than any WASM demangler. Rust (legacy
 * `_ZN...17h<hash>E` and v0 `_R...`) goes through binutils' own demangler (libiberty's
 * `cplus_demangle`, exported by libbfd) where binutils is installed: the very code `nm -C` runs,
 * and free of the WASM start-up cost. Otherwise Rust, and MSVC (`?...`) always, go through
 * gecko-profiler-demangle (rustc-demangle and msvc-demangler compiled to WASM), which is also the
 * C++ fallback when no `__cxa_demangle` can be loaded. All are loaded lazily, only when a name
 * needs them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export type Mangling = 'itanium' | 'rust-legacy' | 'rust-v0' | 'msvc' | null;

// The hash may be followed by a compiler suffix (`.llvm.123`, `.2321106.3`).
const RUST_LEGACY_HASH = /17h[0-9a-f]{16}E(?:\.|$)/;

/** Which scheme mangled `name`, from its prefix (Mach-O's extra leading underscore already removed). */
export function manglingOf(name: string): Mangling {
  const c0 = name.charCodeAt(0);
  if (c0 === 0x5f /* _ */) {
    const c1 = name.charCodeAt(1);
    if (c1 === 0x5a /* Z */) {
      return name.charCodeAt(2) === 0x4e /* N */ && RUST_LEGACY_HASH.test(name) ? 'rust-legacy' : 'itanium';
    }
    if (c1 === 0x52 /* R */) return 'rust-v0';
    return null;
  }
  if (c0 === 0x3f /* ? */) return 'msvc';
  return null;
}

const require = createRequire(import.meta.url);

type KoffiFn = (...args: unknown[]) => unknown;
interface KoffiModule {
  load(path: string): {
    func(decl: string): KoffiFn;
    func(name: string, ret: unknown, args: string[]): KoffiFn;
  };
  disposable(type: string): unknown;
  address(p: unknown): bigint;
  view(p: unknown, len: number): ArrayBuffer;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const CXA_LIBRARIES: Record<string, string[]> = {
  linux: ['libstdc++.so.6'],
  darwin: ['libc++abi.dylib', '/usr/lib/libc++abi.dylib'],
};
const LIBC: Record<string, string> = { linux: 'libc.so.6', darwin: '/usr/lib/libSystem.B.dylib' };

/**
 * `__cxa_demangle` over names that already sit in native memory. The mangled strings are copied
 * into native memory once (a whole string table at a time); each call passes plain numbers
 * (addresses) and the result is read from a reused output buffer viewed as a Buffer, so a name
 * costs one FFI call and no allocation on the JS side.
 */
export class CxaDemangler {
  private outCap = 0;
  private outAddr = 0;
  /** The current output buffer; valid until the next call. */
  out: Buffer = Buffer.alloc(0);
  private strAddr = 0;
  private strLen = 0;
  private readonly scratch: DataView;
  private readonly scratchAddr: number;

  private constructor(
    private readonly koffi: KoffiModule,
    private readonly cxa: KoffiFn,
    private readonly malloc: KoffiFn,
    private readonly freeAddr: KoffiFn,
    private readonly copyIn: KoffiFn,
  ) {
    const scratch = malloc(16);
    this.scratchAddr = Number(koffi.address(scratch));
    this.scratch = new DataView(koffi.view(scratch, 16));
    this.grow(1 << 16);
  }

  private static instance: CxaDemangler | null | undefined;

  /** The platform's demangler, or null when this platform has none that can be loaded. */
  static get(): CxaDemangler | null {
    if (CxaDemangler.instance !== undefined) return CxaDemangler.instance;
    CxaDemangler.instance = null;
    const libs = CXA_LIBRARIES[process.platform];
    const libcName = LIBC[process.platform];
    if (!libs || !libcName) return null;
    let koffi: KoffiModule;
    try {
      koffi = require('koffi') as KoffiModule;
    } catch {
      return null;
    }
    for (const name of libs) {
      try {
        const lib = koffi.load(name);
        const libc = koffi.load(libcName);
        CxaDemangler.instance = new CxaDemangler(
          koffi,
          lib.func('uintptr_t __cxa_demangle(uintptr_t, uintptr_t, uintptr_t, uintptr_t)'),
          libc.func('void *malloc(size_t)'),
          libc.func('void free(uintptr_t)'),
          libc.func('void *memcpy(uintptr_t, const uint8_t *, size_t)'),
        );
        return CxaDemangler.instance;
      } catch {
        // Try the next candidate; a platform without any falls back to the WASM demangler.
      }
    }
    return null;
  }

  private grow(cap: number): void {
    const p = this.malloc(cap);
    this.outAddr = Number(this.koffi.address(p));
    if (this.outAddr === 0) throw new RangeError('out of memory while demangling');
    this.outCap = cap;
    this.out = Buffer.from(this.koffi.view(p, cap));
    // __cxa_demangle reads the buffer's size from here and only writes it when it reallocates.
    this.scratch.setBigUint64(0, BigInt(cap), HOST_LITTLE_ENDIAN);
  }

  /** Copies a table of NUL-terminated names into native memory; `demangleAt` offsets refer to it. */
  setStrings(bytes: Uint8Array): void {
    if (this.strAddr !== 0) this.freeAddr(this.strAddr);
    // One extra NUL so a table whose last name is unterminated still ends inside the copy.
    const p = this.malloc(bytes.length + 1);
    this.strAddr = Number(this.koffi.address(p));
    this.strLen = bytes.length;
    this.copyIn(this.strAddr, bytes, bytes.length);
    new Uint8Array(this.koffi.view(p, bytes.length + 1))[bytes.length] = 0;
  }

  /**
   * Demangles the name at `offset` of the current string table. Returns the length of the result
   * in `this.out`, or -1 when the name is not a valid mangled C++ name.
   */
  demangleAt(offset: number): number {
    if (offset >= this.strLen) return -1;
    return this.demangleAddr(this.strAddr + offset);
  }

  private demangleAddr(addr: number): number {
    for (;;) {
      // NULL means "not a valid mangled name"; the status word adds nothing to that.
      const r = this.cxa(addr, this.outAddr, this.scratchAddr, this.scratchAddr + 8) as number;
      if (r === 0) return -1;
      if (r === this.outAddr) {
        const out = this.out;
        let n = 0;
        while (out[n] !== 0) n++;
        return n;
      }
      // Too long for the buffer: __cxa_demangle freed ours and returned a new one. Drop it, take a
      // larger buffer of our own (so `out` stays a view we own) and demangle again.
      this.freeAddr(r);
      this.grow(this.outCap * 4);
    }
  }

  /** Demangles many JS strings with one copy into native memory; the current table is kept. */
  demangleMany(names: readonly string[]): (string | null)[] {
    const offsets = new Array<number>(names.length);
    let total = 0;
    for (let i = 0; i < names.length; i++) {
      offsets[i] = total;
      total += Buffer.byteLength(names[i]!) + 1;
    }
    const bytes = Buffer.allocUnsafe(total);
    for (let i = 0; i < names.length; i++) {
      const end = offsets[i]! + bytes.write(names[i]!, offsets[i]!);
      bytes[end] = 0;
    }
    const base = Number(this.koffi.address(this.malloc(total)));
    if (base === 0) throw new RangeError('out of memory while demangling');
    try {
      this.copyIn(base, bytes, total);
      return offsets.map((o) => {
        const n = this.demangleAddr(base + o);
        return n < 0 ? null : this.out.toString('utf8', 0, n);
      });
    } finally {
      this.freeAddr(base);
    }
  }
}

interface GeckoBindings {
  demangle_any(name: string): string;
}
/** The slice of the WebAssembly global we use (the project's lib settings carry no DOM types). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (mod: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
let gecko: GeckoBindings | null | undefined;

/**
 * gecko-profiler-demangle's index.js imports its .wasm as an ES module, which Node cannot do, so
 * the wasm-bindgen glue (index_bg.js) is wired to the module by hand.
 */
function geckoDemangler(): GeckoBindings | null {
  if (gecko !== undefined) return gecko;
  gecko = null;
  try {
    const bg = require('gecko-profiler-demangle/index_bg.js') as GeckoBindings & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;
    const wasmPath = require.resolve('gecko-profiler-demangle/index_bg.wasm');
    const mod = new wasm.Module(fs.readFileSync(wasmPath));
    const instance = new wasm.Instance(mod, { './index_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    gecko = bg;
  } catch {
    gecko = null;
  }
  return gecko;
}

/** Compiler suffixes after a legacy Rust hash (`.llvm.123`) are dropped, as binutils does. */
function withoutRustSuffix(name: string): string {
  const m = RUST_LEGACY_HASH.exec(name);
  return m && m[0].endsWith('.') ? name.slice(0, m.index + m[0].length - 1) : name;
}

/** libiberty's option bits: show parameters, ANSI qualifiers (what `nm -C` passes). */
const DMGL_PARAMS = 1;
const DMGL_ANSI = 2;
/** Where distributions put binutils' shared libbfd (Debian: libbfd-2.40-system.so). */
const BFD_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];

let libiberty: KoffiFn | null | undefined;

/** libiberty's `cplus_demangle` from libbfd, or null where binutils' libbfd is not installed. */
function libibertyDemangler(): KoffiFn | null {
  if (libiberty !== undefined) return libiberty;
  libiberty = null;
  if (process.platform !== 'linux') return null;
  let koffi: KoffiModule;
  try {
    koffi = require('koffi') as KoffiModule;
  } catch {
    return null;
  }
  for (const dir of BFD_DIRS) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => /^libbfd(-[\d.]+(-system)?)?\.so$/.test(n));
    } catch {
      continue;
    }
    for (const name of names.sort().reverse()) {
      try {
        const lib = koffi.load(path.join(dir, name));
        // A disposable `char *`: koffi copies the string and frees libiberty's buffer.
        libiberty = lib.func('cplus_demangle', koffi.disposable('char *'), ['const char *', 'int']);
        return libiberty;
      } catch {
        // Not loadable (another ABI, missing dependency): try the next one.
      }
    }
  }
  return null;
}

function viaLibiberty(name: string): string | null | undefined {
  const dm = libibertyDemangler();
  if (!dm) return undefined;
  const out = dm(name, DMGL_PARAMS | DMGL_ANSI) as string | null;
  return out === name ? null : out;
}

/** Rust and MSVC names: libiberty for Rust when it is there, the WASM demangler otherwise. */
function demangleOther(name: string, scheme: Mangling): string | null {
  if (scheme === 'rust-legacy' || scheme === 'rust-v0') {
    const d = viaLibiberty(name);
    if (d !== undefined) return d;
  }
  return viaGecko(name);
}

/** The WASM demangler alone (rustc-demangle, msvc-demangler, cpp_demangle). */
export function demangleWasm(mangled: string): string | null {
  return viaGecko(mangled);
}

function viaGecko(mangled: string): string | null {
  const name = withoutRustSuffix(mangled);
  const g = geckoDemangler();
  if (!g) return null;
  let out: string;
  try {
    out = g.demangle_any(name);
  } catch {
    return null;
  }
  return out === name || out === '' ? null : out;
}

/** Demangles names for display; null where a name is not mangled or not valid. Order is kept. */
export function demangleAll(names: readonly string[]): (string | null)[] {
  const out = new Array<string | null>(names.length).fill(null);
  const itaniumIdx: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const scheme = manglingOf(name);
    if (scheme === 'itanium') itaniumIdx.push(i);
    else if (scheme !== null) out[i] = demangleOther(name, scheme);
  }
  if (itaniumIdx.length > 0) {
    const cxa = CxaDemangler.get();
    if (cxa) {
      const res = cxa.demangleMany(itaniumIdx.map((i) => names[i]!));
      itaniumIdx.forEach((i, k) => (out[i] = res[k] ?? null));
    } else {
      for (const i of itaniumIdx) out[i] = viaGecko(names[i]!);
    }
  }
  return out;
}

export function demangle(name: string): string | null {
  return demangleAll([name])[0] ?? null;
}
