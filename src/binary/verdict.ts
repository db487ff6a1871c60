/** Can this host load a binary as a plugin, and if not, the one sentence that says why. */
import { elfShortName } from './elf-names.js';
import type { BinaryFormat, BinaryInfo, LoadVerdict } from './types.js';

const HOST_FORMAT: Record<string, BinaryFormat> = { darwin: 'macho', win32: 'pe' };
const OS_WORDS: Record<string, string> = {
  linux: 'Linux',
  darwin: 'macOS',
  win32: 'Windows',
  freebsd: 'FreeBSD',
  openbsd: 'OpenBSD',
  netbsd: 'NetBSD',
  sunos: 'Solaris',
  aix: 'AIX',
};
const ARCH_WORDS: Record<string, string> = {
  x64: 'x86-64',
  ia32: 'x86 (32-bit)',
  arm64: 'ARM64',
  arm: 'ARM (32-bit)',
  ppc64: 'PowerPC64',
  s390x: 'IBM Z (s390x)',
  riscv64: 'RISC-V 64',
  loong64: 'LoongArch64',
  mips64el: 'MIPS64',
};

/** The short name a sentence starts with: "ELF 32-bit ARM shared library". */
function shortName(info: BinaryInfo): string {
  return info.format === 'elf' ? elfShortName(info) : info.description;
}

/** Can this host load the file as a plugin? When not, one sentence that says why. */
export function loadVerdict(
  info: BinaryInfo,
  platform: string = process.platform,
  arch: string = process.arch,
): LoadVerdict {
  const name = shortName(info);
  const hostOs = OS_WORDS[platform] ?? platform;
  const no = (reason: string): LoadVerdict => ({ ok: false, reason: `${name}: ${reason}` });
  const hostFormat = HOST_FORMAT[platform] ?? 'elf';
  if (info.format !== hostFormat) {
    const fileOs = OS_WORDS[info.os] ?? info.os;
    return no(`built for ${fileOs}, cannot load on this ${hostOs} machine`);
  }
  if (info.format === 'elf' && info.os !== 'unknown' && info.os !== platform) {
    return no(`built for ${OS_WORDS[info.os] ?? info.os}, cannot load on this ${hostOs} machine`);
  }
  if (info.arch !== arch) return no(`cannot load on this ${ARCH_WORDS[arch] ?? arch} machine`);
  switch (info.fileType) {
    case 'object':
      return no(
        'an object file with no dynamic symbols: link it into a shared library (gcc -shared) to load it',
      );
    case 'core':
      return no('a core dump, not a library');
    case 'executable':
      return info.hasDynamicSymbols
        ? no('a program, not a shared library: executables cannot be loaded as plugins')
        : no('a static executable with no dynamic symbols: nothing in it can be loaded');
    case 'pie':
      return no(
        'a position-independent executable: the dynamic loader refuses to load executables as libraries',
      );
    case 'unknown':
      return no('an ELF file of unknown type: only shared libraries can be loaded');
    default:
      break;
  }
  if (info.format === 'macho' && !['dylib', 'bundle'].includes(info.fileType)) {
    return no('not a dynamic library or bundle: only those can be loaded');
  }
  if (info.format === 'pe' && info.fileType !== 'dll') return no('not a DLL: only DLLs can be loaded');
  return { ok: true, reason: null };
}
