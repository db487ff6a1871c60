/**
 * The engine side of a transport: takes an operation name and untrusted arguments, validates them
 * against the contract, runs the operation and always resolves with a Reply. Generic over the
 * transport, so Electron IPC and the WebSocket server share this one code path.
 */
import { z } from 'zod';
import { isOpName, operations, type StudioApi } from './contract.js';
import { ApiError } from './errors.js';
import { toWireError, type Reply } from './wire.js';

export type Dispatcher = (op: unknown, args: unknown) => Promise<Reply>;

/** One sentence from a zod error: the first issue with its path. */
export function describeIssues(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid value';
  const where = issue.path.length ? issue.path.join('.') : 'value';
  return `${where}: ${issue.message}`;
}

export function createDispatcher(api: StudioApi): Dispatcher {
  return async (op, args) => {
    if (!isOpName(op)) {
      return {
        ok: false,
        error: {
          code: 'unknown_op',
          message:
            typeof op === 'string'
              ? `unknown operation "${op.slice(0, 100)}"`
              : 'the operation name must be a string',
        },
      };
    }
    const parsed = operations[op].args.safeParse(args ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'invalid_args', message: `${op}: ${describeIssues(parsed.error)}` },
      };
    }
    try {
      const run = api[op] as (a: unknown) => Promise<unknown>;
      const result = await run.call(api, parsed.data);
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  };
}

export { ApiError };
