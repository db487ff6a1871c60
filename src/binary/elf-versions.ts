/**
 * GNU symbol versioning: .gnu.version (one half-word per dynamic symbol) indexes the version names
 * defined in .gnu.version_d (this file's own versions) and required in .gnu.version_r (versions of
 * the libraries it needs, with the library's name).
 */
import { FormatError } from './errors.js';
import type { StringTable } from './elf-strings.js';

export interface VersionName {
  name: string;
  /** Set for versions required from another library (.gnu.version_r): that library's file name. */
  library: string | null;
}

/** Version chains are short; a longer walk means a cycle or garbage. */
const MAX_ENTRIES = 65536;

type U16 = (b: Uint8Array, o: number) => number;
type U32 = (b: Uint8Array, o: number) => number;

function need(bytes: Uint8Array, off: number, len: number, what: string, base: number): void {
  if (off < 0 || off + len > bytes.length) {
    throw new FormatError(
      `corrupt ${what}: an entry at byte ${base + off} runs past the section`,
      base + off,
    );
  }
}

/** Reads .gnu.version_d into `out[vd_ndx]`. */
export function readVerdef(
  bytes: Uint8Array,
  count: number,
  strings: StringTable,
  u16: U16,
  u32: U32,
  base: number,
  out: (VersionName | undefined)[],
): void {
  let off = 0;
  for (let i = 0; i < Math.min(count || MAX_ENTRIES, MAX_ENTRIES); i++) {
    need(bytes, off, 20, '.gnu.version_d', base);
    const ndx = u16(bytes, off + 4) & 0x7fff;
    const cnt = u16(bytes, off + 6);
    const aux = u32(bytes, off + 12);
    const next = u32(bytes, off + 16);
    if (cnt > 0) {
      need(bytes, off + aux, 8, '.gnu.version_d', base);
      out[ndx] = { name: strings.get(u32(bytes, off + aux)), library: null };
    }
    if (next === 0) break;
    off += next;
  }
}

/** Reads .gnu.version_r into `out[vna_other]`, remembering which library each version comes from. */
export function readVerneed(
  bytes: Uint8Array,
  count: number,
  strings: StringTable,
  u16: U16,
  u32: U32,
  base: number,
  out: (VersionName | undefined)[],
): void {
  let off = 0;
  let seen = 0;
  for (let i = 0; i < Math.min(count || MAX_ENTRIES, MAX_ENTRIES); i++) {
    need(bytes, off, 16, '.gnu.version_r', base);
    const cnt = u16(bytes, off + 2);
    const library = strings.get(u32(bytes, off + 4));
    let aoff = off + u32(bytes, off + 8);
    for (let j = 0; j < cnt; j++) {
      if (++seen > MAX_ENTRIES)
        throw new FormatError('corrupt .gnu.version_r: too many entries', base + aoff);
      need(bytes, aoff, 16, '.gnu.version_r', base);
      const other = u16(bytes, aoff + 6) & 0x7fff;
      out[other] = { name: strings.get(u32(bytes, aoff + 8)), library };
      const anext = u32(bytes, aoff + 12);
      if (anext === 0) break;
      aoff += anext;
    }
    const next = u32(bytes, off + 12);
    if (next === 0) break;
    off += next;
  }
}
