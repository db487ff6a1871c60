/** Shapes shared by every symbol reader (ELF, Mach-O, PE) and everything that shows symbols. */

export type BinaryFormat = 'elf' | 'macho' | 'pe';
export type SymbolKind = 'func' | 'object' | 'tls' | 'ifunc' | 'notype' | 'common' | 'other';
export type SymbolBinding = 'global' | 'weak' | 'local' | 'unique';
export type SymbolVisibility = 'default' | 'hidden' | 'protected' | 'internal';
/** Where a symbol was read: ELF .dynsym/.symtab, Mach-O nlist table or export trie, PE export/import directory. */
export type SymbolSource = 'dynsym' | 'symtab' | 'nlist' | 'trie' | 'exports' | 'imports';
export type SymbolLanguage = 'c' | 'c++' | 'rust' | 'go' | 'cgo' | 'runtime' | 'unknown';
/** The Studio ABI exports of ../shared/ABI.md, recognised by name. */
export type StudioAbiRole = 'abi_version' | 'free' | 'manifest';
export type HandlerPhase = 'request' | 'response';

export interface SymbolRecord {
  /** As stored in the file: without ELF's `@VERSION`, with Mach-O's leading underscore removed. */
  name: string;
  /** Display form for C++/Rust names; null when the name is not mangled. */
  demangled: string | null;
  /** ELF GNU symbol version (`GLIBC_2.2.5`), null when none. */
  version: string | null;
  /** ELF: version is hidden (`@` rather than `@@`), i.e. not the default version. */
  versionHidden?: boolean;
  kind: SymbolKind;
  binding: SymbolBinding;
  visibility: SymbolVisibility;
  defined: boolean;
  section: string | null;
  /** Hex string with 0x prefix. */
  address: string;
  size: number;
  source: SymbolSource;
  /** PE export ordinal. */
  ordinal?: number;
  /** PE forwarder (`NTDLL.RtlAllocateHeap`), Mach-O re-export (`/usr/lib/libfoo.dylib:_bar`). */
  forwarder?: string | null;
  /** For imports: the library the symbol comes from, when the format says so (PE, Mach-O two-level). */
  library?: string | null;
  language: SymbolLanguage;
  /** Toolchain plumbing a plugin author never calls (_init, _cgo_*, crosscall2, __gmon_start__...). */
  noise: boolean;
  abi: StudioAbiRole | null;
  /** Filled from the plugin's manifest (native) or from the Go type (Go plugins); null otherwise. */
  handler: { phase: HandlerPhase | null; description?: string } | null;
  /** Go plugins: the exact Go type of the symbol, reported by the Go bridge. */
  goType?: string | null;
  /** Go plugins: package path + name (`example.com/plugin.AddHeader`). */
  goName?: string | null;
}

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: GoModule | null;
}

export interface GoBuildInfo {
  /** `go1.19.8` */
  version: string | null;
  /** Where the version came from: the build info blob, or runtime.buildVersion. */
  versionSource: 'buildinfo' | 'runtime.buildVersion' | 'none';
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  /** `-buildmode`, `-compiler`, `CGO_ENABLED`, `GOARCH`, `GOOS`, `-trimpath`, `-tags`, `vcs.*`... in file order. */
  settings: [string, string][];
  buildMode: string | null;
  isPlugin: boolean;
  /**
   * The DWARF producer of the compile units (`Go cmd/compile go1.19.8; -race -shared -dynlink`),
   * when the file carries DWARF. Go 1.19 plugins have neither build info nor runtime.buildVersion:
   * then `version` comes from here (versionSource stays 'none') and `flags` shows -race.
   */
  compiler?: { producer: string; version: string | null; flags: string[] } | null;
  /** Built with -trimpath: from the build settings, or from the file table of a plugin; null when unknown. */
  trimpath?: boolean | null;
}

export interface SectionRef {
  name: string;
  /** File offset of the section's bytes (0 for sections with no bytes in the file). */
  offset: number;
  size: number;
  /** Virtual address, as a number (safe for the address ranges of real files). */
  addr: number;
  /** False for NOBITS/zero-fill sections. */
  hasBytes: boolean;
}

export interface MachOSlice {
  arch: string;
  offset: number;
  size: number;
  selected: boolean;
}

export interface LoadVerdict {
  ok: boolean;
  /** A sentence when not ok: "ELF 32-bit ARM shared library: cannot load on this x86-64 machine". */
  reason: string | null;
}

export interface BinaryInfo {
  path: string;
  format: BinaryFormat;
  /** One line a person reads: "ELF 64-bit LSB shared object, x86-64". */
  description: string;
  bits: 32 | 64;
  /** Machine as the format names it: `x86-64`, `AArch64`, `ARM`, `i386`, `x86_64`, `arm64`, `AMD64`... */
  machine: string;
  /** Node-style architecture: `x64`, `arm64`, `ia32`, `arm`, `ppc64`, `riscv64`, `s390x`, `unknown`. */
  arch: string;
  endian: 'little' | 'big';
  /** `shared`, `executable`, `pie`, `object`, `core`, `dylib`, `bundle`, `dll`, ... */
  fileType: string;
  /** `linux`, `darwin`, `win32`, `freebsd`, ... (Node's platform names) or `unknown`. */
  os: string;
  /** ELF OS/ABI byte name (`SYSV`, `GNU`, `FreeBSD`); null for other formats. */
  osAbi: string | null;
  soname: string | null;
  needed: string[];
  rpath: string[];
  runpath: string[];
  /** Mach-O universal files: every slice, the one read marked selected. */
  slices: MachOSlice[] | null;
  go: GoBuildInfo | null;
  hasDynamicSymbols: boolean;
  loadable: LoadVerdict;
}

export interface ReadOptions {
  /** Include undefined (imported) symbols. */
  imports?: boolean;
  /** Include .symtab / local / debugging symbols as well as the dynamic ones. */
  all?: boolean;
  /** Demangle for display (default true). */
  demangle?: boolean;
}

export interface BinaryFile {
  info: BinaryInfo;
  symbols: SymbolRecord[];
  sections: SectionRef[];
}
