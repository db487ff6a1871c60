/**
 * The messages both transports carry (see README.md). Electron IPC carries `Reply` objects as
 * structured clones; the WebSocket carries every message as one JSON text frame.
 */
import { z } from 'zod';
import { ApiError, ERROR_CODES } from './errors.js';

export const WireErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type WireError = z.infer<typeof WireErrorSchema>;

/** What a transport's `request` resolves with: the operation's result, or the error it failed with. */
export const ReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: WireErrorSchema }),
]);
export type Reply = z.infer<typeof ReplySchema>;

/** WebSocket, UI -> engine. `id` is chosen by the client and echoed in the reply. */
export const RequestFrameSchema = z.object({
  t: z.literal('req'),
  id: z.number().int().nonnegative(),
  op: z.string(),
  args: z.unknown(),
});
export type RequestFrame = z.infer<typeof RequestFrameSchema>;

/** WebSocket, engine -> UI. */
export const ServerFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('res'), id: z.number().int().nonnegative(), reply: ReplySchema }),
  z.object({ t: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Turns anything thrown by an operation into a wire error: ApiErrors keep their code, the rest are `failed`. */
export function toWireError(err: unknown): WireError {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'failed', message: message || 'the operation failed' };
}
