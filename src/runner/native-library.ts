/**
 * A native plugin loaded with koffi, inside the plugin host process only. Calls follow ABI.md: the
 * envelope goes in as bytes, `*out` / `*out_len` come back through a reused 16-byte buffer, the
 * output is copied out with memcpy (cheaper than koffi.view for the small results of most calls)
 * and handed back to plugin_studio_free.
 */
import koffi, { type LibraryHandle } from 'koffi';
import type { PluginManifest } from './types.js';
import { libc } from './libc.js';
import { parseManifest } from './manifest.js';

type HandlerFn = (input: Buffer, inputLength: number, out: Buffer, outLength: Buffer) => number;

/** The raw result of one handler call, before validation. */
export interface RawOutput {
  status: number;
  /** `*out` was NULL. */
  isNull: boolean;
  /** `*out_len` as the plugin set it (approximate beyond 2^53: see lengthText). */
  length: number;
  /** `*out_len` exactly, in decimal, for messages. */
  lengthText: string;
  /** The output bytes; null when `*out` is NULL or `length` is over the limit. Valid until the next call. */
  bytes: Buffer | null;
  durationNs: number;
}

export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(
    message: string,
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

const SIZE_T = koffi.sizeof('size_t');
const SCRATCH_BYTES = 1 << 20;

export interface OpenedLibrary {
  studioAbi: boolean;
  abiVersion: number | null;
  manifest: PluginManifest | null;
  manifestError: string | null;
}

export class NativeLibrary {
  private readonly lib: LibraryHandle;
  private readonly free: ((ptr: bigint) => void) | null;
  private readonly handlers = new Map<string, HandlerFn>();
  private readonly outs = Buffer.alloc(16);
  private readonly outLen = this.outs.subarray(8);
  /** `*out` and `*out_len` as 64-bit words: cheaper to clear and read than Buffer methods. */
  private readonly outWords = new BigUint64Array(this.outs.buffer, this.outs.byteOffset, 2);
  private readonly memcpy = libc().memcpy;
  private scratch = Buffer.alloc(SCRATCH_BYTES);
  readonly opened: OpenedLibrary;

  constructor(
    path: string,
    private readonly maxOutputBytes: number,
  ) {
    try {
      this.lib = koffi.load(path);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new LoadError(`The library could not be loaded: ${detail}`, detail);
    }
    const abiVersion = this.optionalFunc('plugin_studio_abi_version', 'uint32_t', []);
    const free = this.optionalFunc('plugin_studio_free', 'void', ['void *']);
    const version = abiVersion ? Number(abiVersion()) : null;
    if (version !== null && free === null)
      throw new LoadError(
        'The plugin exports plugin_studio_abi_version but not plugin_studio_free, so the studio cannot give back the buffers its handlers return; add plugin_studio_free (ABI.md).',
      );
    if (version !== null && version !== 1)
      throw new LoadError(
        `The plugin was built for Studio ABI version ${version}, but this studio speaks version 1; rebuild it against the current SDK.`,
      );
    this.free = free as ((ptr: bigint) => void) | null;
    const manifestFn = this.optionalFunc('plugin_studio_manifest', 'const char *', []);
    let manifest: PluginManifest | null = null;
    let manifestError: string | null = null;
    if (manifestFn) {
      const text = manifestFn() as string | null;
      const parsed = parseManifest(text);
      manifest = parsed.manifest;
      manifestError = parsed.error;
    }
    this.opened = { studioAbi: version !== null, abiVersion: version, manifest, manifestError };
  }

  private optionalFunc(name: string, result: string, args: string[]): ((...a: unknown[]) => unknown) | null {
    try {
      return this.lib.func(name, result, args) as (...a: unknown[]) => unknown;
    } catch {
      return null;
    }
  }

  /** The handler function for an exported symbol; throws a sentence when there is none. */
  handler(symbol: string): HandlerFn {
    let fn = this.handlers.get(symbol);
    if (fn) return fn;
    try {
      fn = this.lib.func(symbol, 'int32_t', ['void *', 'size_t', 'void *', 'void *']) as HandlerFn;
    } catch {
      throw new Error(`The library exports no function named "${symbol}".`);
    }
    this.handlers.set(symbol, fn);
    return fn;
  }

  /** Calls a handler once. The returned bytes live in a scratch buffer until the next call. */
  invoke(fn: HandlerFn, input: Buffer, timed = true): RawOutput {
    this.outWords.fill(0n);
    // A bench times whole iterations itself; two clock reads per call are a measurable share.
    const start = timed ? process.hrtime.bigint() : 0n;
    const status = fn(input, input.length, this.outs, this.outLen);
    return this.collect(status, timed ? Number(process.hrtime.bigint() - start) : 0);
  }

  /**
   * A bench's call: when the handler returns 0 with an output that fits `dest`, copies the output
   * there, gives it back to the plugin and returns its length, allocating nothing; any other
   * result comes back as the RawOutput a single call would classify.
   */
  invokeInto(fn: HandlerFn, input: Buffer, dest: Buffer): number | RawOutput {
    const words = this.outWords;
    words.fill(0n);
    const status = fn(input, input.length, this.outs, this.outLen);
    const ptr = words[0]!;
    if (status === 0 && ptr !== 0n && SIZE_T === 8) {
      const length = Number(words[1]!);
      if (length <= dest.length && length <= this.maxOutputBytes) {
        if (length > 0) this.memcpy(dest, ptr, length);
        this.free?.(ptr);
        return length;
      }
    }
    return this.collect(status, 0);
  }

  /** The output of the call that just returned `status`, copied out and given back to the plugin. */
  private collect(status: number, durationNs: number): RawOutput {
    const words = this.outWords;
    const ptr = words[0]!;
    const exact = SIZE_T === 8 ? words[1]! : BigInt(this.outs.readUInt32LE(8));
    const length = Number(exact);
    const lengthText = length <= Number.MAX_SAFE_INTEGER ? '' : exact.toString();
    if (ptr === 0n) return { status, isNull: true, length, lengthText, bytes: null, durationNs };
    let bytes: Buffer | null = null;
    if (length <= this.maxOutputBytes) {
      // Large outputs get their own buffer; the scratch stays small so a single 60 MiB result
      // does not pin 60 MiB for the life of the host.
      bytes = length > this.scratch.length ? Buffer.allocUnsafe(length) : this.scratch.subarray(0, length);
      if (length > 0) this.memcpy(bytes, ptr, length);
    }
    this.free?.(ptr);
    return { status, isNull: false, length, lengthText, bytes, durationNs };
  }
}
