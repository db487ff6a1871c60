/**
 * ELF constants turned into the words people read: machine, OS/ABI, file type. Kept apart from the
 * parser so open.ts can describe a file in one sentence even when its body is too broken to read.
 */
import type { BinaryInfo } from './types.js';

interface MachineName {
  /** As binutils names it. */
  name: string;
  /** Node's process.arch spelling for 64-bit and 32-bit variants. */
  arch64: string;
  arch32: string;
}

const MACHINES: Record<number, MachineName> = {
  2: { name: 'SPARC', arch64: 'sparc64', arch32: 'sparc' },
  3: { name: 'i386', arch64: 'ia32', arch32: 'ia32' },
  8: { name: 'MIPS', arch64: 'mips64', arch32: 'mips' },
  20: { name: 'PowerPC', arch64: 'ppc', arch32: 'ppc' },
  21: { name: 'PowerPC64', arch64: 'ppc64', arch32: 'ppc' },
  22: { name: 'IBM S/390', arch64: 's390x', arch32: 's390' },
  40: { name: 'ARM', arch64: 'arm', arch32: 'arm' },
  43: { name: 'SPARC V9', arch64: 'sparc64', arch32: 'sparc' },
  50: { name: 'IA-64', arch64: 'ia64', arch32: 'ia64' },
  62: { name: 'x86-64', arch64: 'x64', arch32: 'x32' },
  183: { name: 'AArch64', arch64: 'arm64', arch32: 'arm64_32' },
  243: { name: 'RISC-V', arch64: 'riscv64', arch32: 'riscv32' },
  247: { name: 'BPF', arch64: 'bpf', arch32: 'bpf' },
  258: { name: 'LoongArch', arch64: 'loong64', arch32: 'loong32' },
};

export function elfMachine(
  code: number,
  bits: 32 | 64,
  endian: 'little' | 'big',
): { machine: string; arch: string } {
  const m = MACHINES[code];
  if (!m) return { machine: `machine ${code}`, arch: 'unknown' };
  let arch = bits === 64 ? m.arch64 : m.arch32;
  // MIPS and PowerPC64 come in both byte orders and Node names the little-endian ones apart.
  if (code === 8 && endian === 'little') arch = bits === 64 ? 'mips64el' : 'mipsel';
  return { machine: m.name, arch };
}

const OS_ABIS: Record<number, { name: string; os: string }> = {
  0: { name: 'SYSV', os: 'linux' },
  1: { name: 'HP-UX', os: 'hpux' },
  2: { name: 'NetBSD', os: 'netbsd' },
  3: { name: 'GNU', os: 'linux' },
  6: { name: 'Solaris', os: 'sunos' },
  7: { name: 'AIX', os: 'aix' },
  9: { name: 'FreeBSD', os: 'freebsd' },
  12: { name: 'OpenBSD', os: 'openbsd' },
  97: { name: 'ARM', os: 'unknown' },
  255: { name: 'Standalone', os: 'none' },
};

/**
 * SYSV (0) says "no OS-specific extensions" and is what Linux toolchains write, so it is read as
 * Linux; a FreeBSD or Solaris file carries its own OS/ABI byte.
 */
export function elfOsAbi(code: number): { osAbi: string; os: string } {
  const o = OS_ABIS[code];
  return o ? { osAbi: o.name, os: o.os } : { osAbi: `OS/ABI ${code}`, os: 'unknown' };
}

/** Words for a file type, used in descriptions and verdicts. */
export const ELF_FILE_TYPE_WORDS: Record<string, string> = {
  shared: 'shared library',
  pie: 'position-independent executable',
  executable: 'executable',
  object: 'relocatable object file',
  core: 'core dump',
  unknown: 'file of unknown type',
};

/** The short name used in sentences: "ELF 32-bit ARM shared library". */
export function elfShortName(info: BinaryInfo): string {
  return `ELF ${info.bits}-bit ${info.machine} ${ELF_FILE_TYPE_WORDS[info.fileType] ?? info.fileType}`;
}
