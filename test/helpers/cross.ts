/**
 * Builds the Mach-O and PE test binaries with the real cross toolchains: clang-14 + ld64.lld-14 +
 * llvm-lipo-14 for Mach-O; x86_64-w64-mingw32-gcc, and clang-14 + lld-link-14 for 32-bit PE and
 * delay-load imports; Go's own linker for darwin and windows executables. Outputs are cached under
 * build/cross/<label>-<hash of sources and commands>, built in a private directory and renamed into
 * place, so parallel test files never see half-written files.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const cacheRoot = path.join(root, 'build', 'cross');

export function run(cmd: string, args: string[], cwd?: string, env?: Record<string, string>): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: env ? { ...process.env, ...env } : process.env,
  });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** Runs `steps` in a fresh directory holding `files`, once per distinct input; returns that directory. */
type Step = [cmd: string, args: string[], env?: Record<string, string>];

function cached(label: string, files: Record<string, string>, steps: Step[]): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([files, steps]))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(cacheRoot, `${label}-${hash}`);
  if (fs.existsSync(path.join(dir, '.done'))) return dir;
  fs.mkdirSync(cacheRoot, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cacheRoot, `.${label}-`));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), text);
  for (const [cmd, args, env] of steps) run(cmd, args, tmp, env);
  fs.writeFileSync(path.join(tmp, '.done'), '');
  try {
    fs.renameSync(tmp, dir);
  } catch {
    // Another test process finished the same build first; its output is identical.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

const C_SOURCE = `
int counter = 5;
const int table[4] = {1, 2, 3, 4};
__thread int per_thread = 3;
int add(int a, int b) { return a + b; }
__attribute__((weak)) int weakfn(void) { return 1; }
static int hidden_local(int x) { return x * 3; }
int use(int x) { return hidden_local(x) + counter + per_thread; }
__attribute__((visibility("hidden"))) int hid(void) { return 2; }
int plugin_studio_abi_version(void) { return 1; }
`;

const CXX_SOURCE = `
namespace ns {
struct Widget { int f(int); static int count; };
int Widget::f(int x) { return x + count; }
int Widget::count = 3;
}
template <typename T> T twice(T x) { return x + x; }
template int twice<int>(int);
template double twice<double>(double);
extern "C" int c_api(void) { return 7; }
`;

const DEP_SOURCE = `
int dep_fn(int x) { return x + 1; }
int dep_data = 4;
`;

const USER_SOURCE = `
extern int dep_fn(int);
extern int dep_data;
extern int weak_import(void) __attribute__((weak_import));
int user(int x) { return dep_fn(x) + dep_data + (weak_import ? weak_import() : 0); }
`;

export interface MachOSet {
  x86_64: string;
  arm64: string;
  /** 32-bit Mach-O (arm64_32, watchOS): lld-14 links no i386. */
  arm64_32: string;
  fat: string;
  /** The arm64 dylib with its LC_DYLD_INFO_ONLY rewritten as LC_DYLD_EXPORTS_TRIE + LC_RPATH. */
  exportsTrie: string;
  dep: string;
  /** Links against `dep` (imports with a two-level library), re-exports `dep`, has two LC_RPATHs. */
  user: string;
}

export function buildMachO(): MachOSet {
  const link = (arch: string, platform: string[], out: string, inputs: string[], extra: string[] = []) =>
    [
      'ld64.lld-14',
      [
        '-dylib',
        '-arch',
        arch,
        '-platform_version',
        ...platform,
        '-undefined',
        'dynamic_lookup',
        '-install_name',
        `/usr/local/lib/${out}`,
        ...extra,
        ...inputs,
        '-o',
        out,
      ],
    ] as [string, string[]];
  const macos = ['macos', '11.0', '11.0'];
  const steps: [string, string[]][] = [];
  for (const arch of ['x86_64', 'arm64']) {
    const t = `${arch}-apple-macos11`;
    steps.push(['clang-14', ['-target', t, '-O1', '-fPIC', '-c', 'a.c', '-o', `a-${arch}.o`]]);
    steps.push(['clang-14', ['-target', t, '-O1', '-fPIC', '-c', 'b.cpp', '-o', `b-${arch}.o`]]);
    steps.push(link(arch, macos, `libt-${arch}.dylib`, [`a-${arch}.o`, `b-${arch}.o`]));
  }
  steps.push(['clang-14', ['-target', 'arm64_32-apple-watchos7', '-fPIC', '-c', 'a.c', '-o', 'a-a32.o']]);
  steps.push(link('arm64_32', ['watchos', '7.0', '7.0'], 'libt-arm64_32.dylib', ['a-a32.o']));
  steps.push([
    'llvm-lipo-14',
    ['-create', 'libt-x86_64.dylib', 'libt-arm64.dylib', '-output', 'libt-fat.dylib'],
  ]);
  steps.push(['clang-14', ['-target', 'x86_64-apple-macos11', '-fPIC', '-c', 'dep.c', '-o', 'dep.o']]);
  steps.push(link('x86_64', macos, 'libdep.dylib', ['dep.o']));
  steps.push(['clang-14', ['-target', 'x86_64-apple-macos11', '-fPIC', '-c', 'user.c', '-o', 'user.o']]);
  steps.push(
    link(
      'x86_64',
      macos,
      'libuser.dylib',
      ['user.o'],
      ['-reexport_library', 'libdep.dylib', '-rpath', '@loader_path/../lib', '-rpath', '/opt/plugins'],
    ),
  );
  const dir = cached(
    'macho',
    { 'a.c': C_SOURCE, 'b.cpp': CXX_SOURCE, 'dep.c': DEP_SOURCE, 'user.c': USER_SOURCE },
    steps,
  );
  const trie = path.join(dir, 'libt-trie.dylib');
  if (!fs.existsSync(trie)) {
    const tmp = `${trie}.${process.pid}`;
    fs.writeFileSync(tmp, toExportsTrie(fs.readFileSync(path.join(dir, 'libt-arm64.dylib'))));
    fs.renameSync(tmp, trie);
  }
  return {
    x86_64: path.join(dir, 'libt-x86_64.dylib'),
    arm64: path.join(dir, 'libt-arm64.dylib'),
    arm64_32: path.join(dir, 'libt-arm64_32.dylib'),
    fat: path.join(dir, 'libt-fat.dylib'),
    exportsTrie: trie,
    dep: path.join(dir, 'libdep.dylib'),
    user: path.join(dir, 'libuser.dylib'),
  };
}

/**
 * lld-14 cannot emit chained fixups, so LC_DYLD_EXPORTS_TRIE is made by rewriting a real dylib:
 * its 48-byte LC_DYLD_INFO_ONLY becomes a 16-byte LC_DYLD_EXPORTS_TRIE pointing at the same trie
 * plus a 32-byte LC_RPATH, so every other offset in the file stays valid.
 */
export function toExportsTrie(input: Buffer): Buffer {
  const b = Buffer.from(input);
  const ncmds = b.readUInt32LE(16);
  let p = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = b.readUInt32LE(p);
    const size = b.readUInt32LE(p + 4);
    if (cmd === 0x80000022 && size === 48) {
      const exportOff = b.readUInt32LE(p + 40);
      const exportSize = b.readUInt32LE(p + 44);
      b.fill(0, p, p + 48);
      b.writeUInt32LE(0x80000033, p);
      b.writeUInt32LE(16, p + 4);
      b.writeUInt32LE(exportOff, p + 8);
      b.writeUInt32LE(exportSize, p + 12);
      b.writeUInt32LE(0x8000001c, p + 16);
      b.writeUInt32LE(32, p + 20);
      b.writeUInt32LE(12, p + 24);
      b.write('@loader_path/trie', p + 28, 'latin1');
      b.writeUInt32LE(ncmds + 1, 16);
      return b;
    }
    p += size;
  }
  throw new Error('no LC_DYLD_INFO_ONLY to rewrite');
}

const PE_SOURCE = `
__declspec(dllimport) void __stdcall Sleep(unsigned long);
__declspec(dllexport) int pe_add(int a, int b) { return a + b; }
int exported_data = 42;
const int exported_table[3] = {1, 2, 3};
int by_def(int x) { return x * 2; }
int noname_fn(int x) { return x + 1; }
int ord_fn(void) { Sleep(1); return 9; }
int plugin_studio_abi_version(void) { return 1; }
`;

const PE_DEF = `LIBRARY pluginpe.dll
EXPORTS
  pe_add
  by_def @5
  exported_data DATA
  exported_table DATA
  noname_fn @12 NONAME
  ord_fn @20
  plugin_studio_abi_version
  _ZN2ns6Widget1fEi
  _Z5twiceIiET_S0_
  Fwd = kernel32.Sleep
  FwdAlloc = ntdll.RtlAllocateHeap @30
`;

const PE32_DEF = `LIBRARY pe32.dll
EXPORTS
  pe_add
  by_def @5
  exported_data DATA
  noname_fn @12 NONAME
  ord_fn @20
  Fwd = kernel32.Sleep
`;

const KERNEL32_DEF = `LIBRARY kernel32.dll
EXPORTS
  Sleep
  GetTickCount
`;

const DELAY_SOURCE = `
__declspec(dllimport) void __stdcall Sleep(unsigned long);
__declspec(dllimport) unsigned long __stdcall GetTickCount(void);
void *__delayLoadHelper2(void *d, void *f) { (void)d; (void)f; return 0; }
__declspec(dllexport) int uses(void) { Sleep(1); return (int)GetTickCount(); }
`;

const MSVC_SOURCE = `
namespace ns {
struct __declspec(dllexport) Widget { int f(int); static int count; };
int Widget::f(int x) { return x + count; }
int Widget::count = 3;
}
extern "C" __declspec(dllexport) int c_api(void) { return 7; }
__declspec(dllexport) int overloaded(int x) { return x; }
__declspec(dllexport) long long overloaded(long long x) { return x; }
extern "C" __declspec(dllexport) int exported_counter = 1;
`;

export interface PeSet {
  /** PE32+ DLL from mingw-w64 gcc with a .def: ordinals, NONAME, DATA, forwarders, C++ names. */
  pe64: string;
  /** PE32 DLL (i686) from clang-14 + lld-link-14, no C library. */
  pe32: string;
  /** PE32+ DLL with delay-load imports (lld-link-14 /delayload). */
  delay64: string;
  /** MSVC-ABI C++ DLLs (clang-14 --target=*-pc-windows-msvc + lld-link-14): MSVC-mangled exports. */
  msvc64: string;
  /** The same for ARM64. */
  msvcArm64: string;
}

export function buildPe(): PeSet {
  const dir = cached(
    'pe',
    {
      'p.c': PE_SOURCE,
      'b.cpp': CXX_SOURCE,
      'p.def': PE_DEF,
      'p32.def': PE32_DEF,
      'k32.def': KERNEL32_DEF,
      'd.c': DELAY_SOURCE,
      'm.cpp': MSVC_SOURCE,
    },
    [
      ['clang-14', ['--target=x86_64-w64-windows-gnu', '-O1', '-c', 'b.cpp', '-o', 'b64.o']],
      ['x86_64-w64-mingw32-gcc', ['-O1', '-shared', '-o', 'pe64.dll', 'p.c', 'b64.o', 'p.def']],
      ['clang-14', ['--target=i686-w64-windows-gnu', '-O1', '-c', 'p.c', '-o', 'p32.o']],
      ['llvm-dlltool-14', ['-m', 'i386', '-k', '-d', 'k32.def', '-l', 'k32-32.lib']],
      [
        'lld-link-14',
        [
          '-lldmingw',
          '/dll',
          '/noentry',
          '/nodefaultlib',
          '/machine:x86',
          '/def:p32.def',
          'p32.o',
          'k32-32.lib',
          '/out:pe32.dll',
        ],
      ],
      ['clang-14', ['--target=x86_64-w64-windows-gnu', '-O1', '-c', 'd.c', '-o', 'd64.o']],
      ['llvm-dlltool-14', ['-m', 'i386:x86-64', '-d', 'k32.def', '-l', 'k32-64.lib']],
      [
        'lld-link-14',
        [
          '-lldmingw',
          '/dll',
          '/noentry',
          '/nodefaultlib',
          '/machine:x64',
          'd64.o',
          'k32-64.lib',
          '/delayload:kernel32.dll',
          '/out:delay64.dll',
        ],
      ],
      ['clang-14', ['--target=x86_64-pc-windows-msvc', '-O1', '-c', 'm.cpp', '-o', 'm64.o']],
      ['lld-link-14', ['/dll', '/noentry', '/nodefaultlib', '/machine:x64', 'm64.o', '/out:msvc64.dll']],
      ['clang-14', ['--target=aarch64-pc-windows-msvc', '-O1', '-c', 'm.cpp', '-o', 'ma64.o']],
      [
        'lld-link-14',
        ['/dll', '/noentry', '/nodefaultlib', '/machine:arm64', 'ma64.o', '/out:msvc-arm64.dll'],
      ],
    ],
  );
  return {
    pe64: path.join(dir, 'pe64.dll'),
    pe32: path.join(dir, 'pe32.dll'),
    delay64: path.join(dir, 'delay64.dll'),
    msvc64: path.join(dir, 'msvc64.dll'),
    msvcArm64: path.join(dir, 'msvc-arm64.dll'),
  };
}

export interface GoForeignSet {
  /** A Go program linked by Go's own linker for darwin/arm64: a real-world Mach-O executable. */
  darwinArm64: string;
  /** The same for darwin/amd64. */
  darwinAmd64: string;
  /** The same for windows/amd64: a PE32+ executable with Go's import tables. */
  windowsAmd64: string;
  /** windows/386: PE32. */
  windows386: string;
}

/** Pure-Go cross builds (CGO_ENABLED=0 needs no foreign SDK): binaries from a linker other than LLVM's. */
export function buildGoForeign(): GoForeignSet {
  const build = (goos: string, goarch: string, out: string): Step => [
    'go',
    ['build', '-trimpath', '-o', out, '.'],
    {
      GOOS: goos,
      GOARCH: goarch,
      CGO_ENABLED: '0',
      GOFLAGS: '-mod=mod',
      GO111MODULE: 'on',
      // Go needs a build cache; a CI user without HOME gets one under build/.
      ...(process.env.GOCACHE || process.env.HOME || process.env.XDG_CACHE_HOME
        ? {}
        : { GOCACHE: path.join(cacheRoot, 'go-cache') }),
    },
  ];
  const dir = cached(
    'go-foreign',
    {
      'go.mod': 'module example.com/hello\n\ngo 1.19\n',
      'main.go': 'package main\n\nvar Counter int\n\nfunc main() { Counter++; println("hello", Counter) }\n',
    },
    [
      build('darwin', 'arm64', 'hello-darwin-arm64'),
      build('darwin', 'amd64', 'hello-darwin-amd64'),
      build('windows', 'amd64', 'hello-windows-amd64.exe'),
      build('windows', '386', 'hello-windows-386.exe'),
    ],
  );
  return {
    darwinArm64: path.join(dir, 'hello-darwin-arm64'),
    darwinAmd64: path.join(dir, 'hello-darwin-amd64'),
    windowsAmd64: path.join(dir, 'hello-windows-amd64.exe'),
    windows386: path.join(dir, 'hello-windows-386.exe'),
  };
}
