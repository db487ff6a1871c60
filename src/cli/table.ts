/**
 * Output built in one growing byte buffer and written once: listing 100,000 symbols must not cost
 * 100,000 writes or a string per line.
 */
export class OutBuffer {
  private buf: Buffer;
  private pos = 0;

  /** `expected`: a guess of the output size, so the buffer rarely has to grow (and be copied). */
  constructor(expected = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(1 << 12, expected));
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** ASCII or UTF-8 text. */
  text(s: string): void {
    const n = s.length;
    this.reserve(n * 3);
    if (n < 32) {
      // Short ASCII words (columns, separators) are copied by hand; Buffer.write costs more.
      const buf = this.buf;
      let p = this.pos;
      let k = 0;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (k === n) {
        this.pos = p;
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos);
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    const buf = this.buf;
    let p = this.pos;
    // Names are short: a plain loop beats creating a subarray view for each one.
    if (n < 1024) for (let k = start; k < end; k++) buf[p++] = src[k]!;
    else buf.set(src.subarray(start, end), p);
    this.pos += n;
  }

  /** Unsigned integer in decimal, right-aligned in `width` columns. */
  uint(v: number, width: number): void {
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    this.spaces(width - digits);
    this.reserve(digits);
    let p = this.pos + digits;
    let x = v;
    do {
      this.buf[--p] = 0x30 + (x % 10);
      x = Math.floor(x / 10);
    } while (x > 0);
    this.pos += digits;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  spaces(n: number): void {
    if (n <= 0) return;
    this.reserve(n);
    const buf = this.buf;
    for (let k = 0; k < n; k++) buf[this.pos++] = 0x20;
  }

  /** `s` (ASCII) padded with spaces to `width` on the left (numbers) or the right (words). */
  padStart(s: string, width: number): void {
    this.spaces(width - s.length);
    this.text(s);
  }
  padEnd(s: string, width: number): void {
    this.text(s);
    this.spaces(width - s.length);
  }

  /** A value given as two 32-bit halves, as zero-padded hex of `digits` digits. */
  hex(hi: number, lo: number, digits: number): void {
    this.reserve(digits);
    let p = this.pos + digits;
    let v = lo;
    for (let k = 0; k < 8 && p > this.pos; k++) {
      const d = v & 0xf;
      this.buf[--p] = d < 10 ? 0x30 + d : 0x57 + d;
      v >>>= 4;
    }
    v = hi;
    while (p > this.pos) {
      const d = v & 0xf;
      this.buf[--p] = d < 10 ? 0x30 + d : 0x57 + d;
      v >>>= 4;
    }
    this.pos += digits;
  }

  get length(): number {
    return this.pos;
  }

  /** Writes everything to a file descriptor (stdout is 1), synchronously. */
  flushTo(fd: number, writeSync: (fd: number, b: Uint8Array, off: number, len: number) => number): void {
    let off = 0;
    while (off < this.pos) {
      try {
        off += writeSync(fd, this.buf, off, this.pos - off);
      } catch (err) {
        // A pipe whose reader is slower than us (`| less`) is non-blocking: wait and retry.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw err;
      }
    }
    this.pos = 0;
  }
}
