/**
 * One captured output stream (the plugin's stdout or stderr) of the current host process. Bytes
 * belong to the running call until its end marker; bytes after the marker belong to the next call.
 * Each call keeps at most `limit` bytes (the head; the rest is counted) so a plugin printing in a
 * loop cannot exhaust the engine's memory.
 */
const TAIL = 256;
const EMPTY = Buffer.alloc(0);

export class StreamCapture {
  private head: Buffer | null = null;
  private dropped = 0;
  private buf: Buffer = EMPTY;
  private searched = 0;
  private marker: Buffer | null = null;
  private markerAt = -1;

  constructor(private readonly limit = 1024 * 1024) {}

  /** Starts looking for a call's end marker (set when the call is sent, before any byte of it arrives). */
  expect(marker: string | Buffer): void {
    this.marker = typeof marker === 'string' ? Buffer.from(marker) : marker;
    this.markerAt = -1;
    this.searched = 0;
    if (this.buf.length > 0) this.scan();
  }

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.scan();
    if (this.markerAt === -1 && this.buf.length > 2 * this.limit) this.compact();
  }

  get markerSeen(): boolean {
    return this.markerAt !== -1;
  }

  /** The call's output up to its marker; the bytes after it stay for the next call. */
  takeToMarker(): string {
    const m = this.marker;
    if (!m || this.markerAt === -1) return this.takeAll();
    const text = this.render(this.buf.subarray(0, this.markerAt));
    const rest = this.buf.length - this.markerAt - m.length;
    this.buf = rest > 0 ? Buffer.from(this.buf.subarray(this.markerAt + m.length)) : EMPTY;
    this.reset();
    return text;
  }

  /** Everything received so far (after a crash, or when the host wrote no marker). */
  takeAll(): string {
    // Most calls print nothing: no decoding, no allocation.
    const text = this.buf.length === 0 && this.head === null ? '' : this.render(this.buf);
    this.buf = EMPTY;
    this.reset();
    return text;
  }

  private reset(): void {
    this.head = null;
    this.dropped = 0;
    this.marker = null;
    this.markerAt = -1;
    this.searched = 0;
  }

  private scan(): void {
    const m = this.marker;
    if (!m || this.markerAt !== -1) return;
    const from = Math.max(0, this.searched - m.length + 1);
    const at = this.buf.indexOf(m, from);
    if (at !== -1) this.markerAt = at;
    else this.searched = this.buf.length;
  }

  private compact(): void {
    if (this.head === null) {
      this.head = Buffer.from(this.buf.subarray(0, this.limit));
      this.dropped += this.buf.length - this.limit - TAIL;
    } else {
      this.dropped += this.buf.length - TAIL;
    }
    this.buf = Buffer.from(this.buf.subarray(this.buf.length - TAIL));
    this.searched = this.buf.length;
  }

  private render(rest: Buffer): string {
    if (this.head === null) return rest.toString('utf8');
    return `${this.head.toString('utf8')}\n[… ${this.dropped} bytes of output not kept …]\n${rest.toString('utf8')}`;
  }
}
