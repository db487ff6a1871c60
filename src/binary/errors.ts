/**
 * The one error a symbol reader throws. `message` is a sentence for the user; `offset` is the byte
 * offset in the file where reading went wrong (null when the problem is not at one place).
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    message: string,
    readonly offset: number | null = null,
  ) {
    super(message);
  }
}

/** Throws a FormatError when a [offset, offset+length) range does not fit in a file of `size` bytes. */
export function checkRange(what: string, offset: number, length: number, size: number): void {
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > size
  ) {
    throw new FormatError(
      `truncated or corrupt: ${what} at byte ${offset} (length ${length}) lies outside the ${size}-byte file`,
      offset,
    );
  }
}
