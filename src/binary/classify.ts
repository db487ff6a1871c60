/**
 * Classification of a symbol by its name: which language most likely produced it, whether it is
 * toolchain plumbing a plugin author never calls (noise), and whether it is one of the Studio ABI
 * exports of ../shared/ABI.md. Names only: no file access, cheap enough to run on every symbol.
 */
import { manglingOf } from './demangle.js';
import type { StudioAbiRole, SymbolLanguage } from './types.js';

export interface Classification {
  language: SymbolLanguage;
  noise: boolean;
  abi: StudioAbiRole | null;
}

const ABI_ROLES: Record<string, StudioAbiRole> = {
  plugin_studio_abi_version: 'abi_version',
  plugin_studio_free: 'free',
  plugin_studio_manifest: 'manifest',
};

/** Linker, C runtime and crt start-up symbols: present in nearly every shared library. */
const RUNTIME_NOISE = new Set([
  '_init',
  '_fini',
  '_start',
  '_edata',
  '_end',
  '__bss_start',
  '__bss_start__',
  '__bss_end__',
  '__end__',
  '_bss_end__',
  '__data_start',
  'data_start',
  '__dso_handle',
  '__TMC_END__',
  '_DYNAMIC',
  '_GLOBAL_OFFSET_TABLE_',
  '_IO_stdin_used',
  '__gmon_start__',
  '__cxa_finalize',
  '__cxa_atexit',
  '_ITM_registerTMCloneTable',
  '_ITM_deregisterTMCloneTable',
  '_Jv_RegisterClasses',
  '__libc_start_main',
  '__libc_csu_init',
  '__libc_csu_fini',
  '__stack_chk_fail',
  '__stack_chk_guard',
  '__FRAME_END__',
  '__GNU_EH_FRAME_HDR',
  '__init_array_start',
  '__init_array_end',
  '__fini_array_start',
  '__fini_array_end',
  '__preinit_array_start',
  '__preinit_array_end',
  '_mh_execute_header',
  '__mh_dylib_header',
  'dyld_stub_binder',
  'DllMain',
  '_DllMainCRTStartup',
]);

/** cgo's glue between Go and C, exported by every Go c-shared library. */
function isCgo(name: string): boolean {
  return (
    name.startsWith('_cgo_') ||
    name.startsWith('x_cgo_') ||
    name.startsWith('_cgoexp_') ||
    name.startsWith('__cgo_') ||
    name === 'crosscall2' ||
    name === 'crosscall1' ||
    name === '_crosscall2'
  );
}

/** Compiler support libraries (libgcc, compiler-rt, the C++ ABI runtime, unwinder). */
function isCompilerRuntime(name: string): boolean {
  return (
    RUNTIME_NOISE.has(name) ||
    name.startsWith('_Unwind_') ||
    name.startsWith('__cxa_') ||
    name.startsWith('__gxx_') ||
    name.startsWith('__gcc_') ||
    name.startsWith('__x86.get_pc_thunk') ||
    name.startsWith('__libc_') ||
    name.startsWith('_ITM_') ||
    name.startsWith('__emutls_') ||
    /^__(?:u?(?:div|mod|mul)|ashl|ashr|lshr|neg|cmp|ucmp|fix|float|extend|trunc|clz|ctz|popcount|bswap|add|sub)[a-z]*[0-9]$/.test(
      name,
    )
  );
}

/** Go symbols are `import/path.Name`, `type:...`, `go:...`, `go.itab...`. */
function isGoName(name: string): boolean {
  return (
    name.startsWith('go:') ||
    name.startsWith('type:') ||
    name.startsWith('go.') ||
    (name.includes('.') && !name.startsWith('.') && !name.startsWith('_') && !name.startsWith('$'))
  );
}

/** Go runtime and standard plumbing: listed, but never what a plugin author is looking for. */
function isGoNoise(name: string): boolean {
  return (
    name.startsWith('go:') ||
    name.startsWith('type:') ||
    name.startsWith('go.') ||
    name.startsWith('runtime.') ||
    name.startsWith('runtime/') ||
    name.startsWith('internal/') ||
    name.startsWith('_rt0_')
  );
}

/**
 * `goFile` says the file is a Go binary (build info found): then dotted names are Go's, which in
 * a C or C++ library they would not be.
 */
export function classifySymbol(name: string, goFile: boolean): Classification {
  const abi = ABI_ROLES[name] ?? null;
  if (abi !== null) return { language: 'c', noise: false, abi };
  if (isCgo(name)) return { language: 'cgo', noise: true, abi: null };
  const scheme = manglingOf(name);
  if (scheme === 'rust-legacy' || scheme === 'rust-v0') return { language: 'rust', noise: false, abi: null };
  if (scheme === 'itanium' || scheme === 'msvc' || name.startsWith('_GLOBAL__sub_I_')) {
    return { language: 'c++', noise: name.startsWith('_GLOBAL__'), abi: null };
  }
  if (name.startsWith('__rust_') || name.startsWith('rust_'))
    return { language: 'rust', noise: true, abi: null };
  if (isCompilerRuntime(name)) return { language: 'runtime', noise: true, abi: null };
  if (goFile && isGoName(name)) return { language: 'go', noise: isGoNoise(name), abi: null };
  if (name === '') return { language: 'unknown', noise: true, abi: null };
  if (/^[A-Za-z_$][A-Za-z0-9_$]*(?:@[0-9]+)?$/.test(name)) return { language: 'c', noise: false, abi: null };
  // Compiler-made local names: `.L123`, `foo.cold`, `bar.part.0`, ARM mapping symbols `$x`.
  return {
    language: 'unknown',
    noise: name.startsWith('.') || name.startsWith('$') || name.includes('.'),
    abi: null,
  };
}
