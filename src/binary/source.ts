import fs from 'node:fs';
import { checkRange } from './errors.js';

/**
 * Random access to the bytes of a binary. Readers ask only for the ranges they need, so a 100 MB
 * library whose symbol tables are small is never read whole. Parsing code sees only this interface.
 */
export interface ByteSource {
  readonly size: number;
  /** Returns exactly `length` bytes at `offset`, or throws FormatError when the range is outside the file. */
  read(offset: number, length: number, what?: string): Uint8Array;
}

export class BufferSource implements ByteSource {
  constructor(private readonly buf: Uint8Array) {}
  get size(): number {
    return this.buf.length;
  }
  read(offset: number, length: number, what = 'data'): Uint8Array {
    checkRange(what, offset, length, this.buf.length);
    return this.buf.subarray(offset, offset + length);
  }
}

export class FileSource implements ByteSource {
  readonly size: number;
  private constructor(
    private readonly fd: number,
    size: number,
  ) {
    this.size = size;
  }
  static open(path: string): FileSource {
    const fd = fs.openSync(path, 'r');
    return new FileSource(fd, fs.fstatSync(fd).size);
  }
  read(offset: number, length: number, what = 'data'): Uint8Array {
    checkRange(what, offset, length, this.size);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? out : out.subarray(0, done);
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}
