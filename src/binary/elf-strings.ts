import { isAscii } from 'node:buffer';
import { FormatError } from './errors.js';

/**
 * An ELF string table (.dynstr, .strtab, .shstrtab). Tables are almost always ASCII; those are
 * decoded once into one JS string and names are cut out of it, which is much cheaper than decoding
 * tens of thousands of small byte ranges one by one.
 */
export class StringTable {
  private readonly buf: Buffer;
  /** The whole table as one string, made on the first `get` (never, for callers that copy bytes). */
  private text: string | null | undefined;
  private lookups = 0;

  constructor(
    bytes: Uint8Array,
    private readonly what: string,
    private readonly fileOffset: number,
  ) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get size(): number {
    return this.buf.length;
  }

  /** The table's bytes, for callers that copy names without decoding them. */
  get raw(): Buffer {
    return this.buf;
  }

  /** Byte offset of the NUL ending the string at `offset` (the table's size when unterminated). */
  end(offset: number): number {
    const e = this.buf.indexOf(0, offset);
    return e < 0 ? this.buf.length : e;
  }

  /** The NUL-terminated string at `offset`; a string running to the table's end is cut there. */
  get(offset: number): string {
    if (offset >= this.buf.length) {
      if (offset === 0) return '';
      throw new FormatError(
        `corrupt ${this.what}: name offset ${offset} is outside the ${this.buf.length}-byte table`,
        this.fileOffset,
      );
    }
    if (this.text === undefined) {
      // A few lookups (DT_NEEDED, SONAME) decode just their names; a table read name after name
      // is decoded once, whole.
      if (++this.lookups < 64) {
        const e = this.buf.indexOf(0, offset);
        return this.buf.toString('utf8', offset, e < 0 ? this.buf.length : e);
      }
      this.text = isAscii(this.buf) ? this.buf.toString('latin1') : null;
    }
    if (this.text !== null) {
      const end = this.text.indexOf('\0', offset);
      return this.text.slice(offset, end < 0 ? this.text.length : end);
    }
    const end = this.buf.indexOf(0, offset);
    return this.buf.toString('utf8', offset, end < 0 ? this.buf.length : end);
  }
}
