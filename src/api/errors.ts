/** The error every operation can fail with, on both sides of the wire. */
export const ERROR_CODES = [
  /** The arguments do not match the contract. */
  'invalid_args',
  /** No such operation. */
  'unknown_op',
  /** The operation needs an open plugin and there is none. */
  'no_plugin',
  /** The fixture, history entry or file named does not exist. */
  'not_found',
  /** The file changed on disk since it was read: refused rather than overwritten. */
  'conflict',
  /** The engine part behind the operation is not available in this build or setup. */
  'unavailable',
  /** The operation ran and failed; the message says why. */
  'failed',
  /** The connection to the engine failed (socket closed, window gone). */
  'transport',
  /** The engine replied with something that does not match the contract (a bug, not a user error). */
  'invalid_result',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}
