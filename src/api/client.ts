/**
 * The UI side: a typed client over any transport. Every reply and event payload is validated against
 * the contract before the UI sees it, so a bug on the engine side surfaces as one clear error.
 */
import {
  events,
  isEventName,
  operations,
  OP_NAMES,
  type EventName,
  type EventPayload,
  type OpArgs,
  type OpName,
  type OpResult,
} from './contract.js';
import { describeIssues } from './dispatch.js';
import { ApiError } from './errors.js';
import { ReplySchema } from './wire.js';

/**
 * What carries the contract. `request` resolves with a Reply ({ ok: true, result } or
 * { ok: false, error: { code, message } }) and rejects only when the transport itself failed.
 * Electron's preload exposes exactly this as `window.pluginStudio`.
 */
export interface Transport {
  request(op: string, args: unknown): Promise<unknown>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

export type Client = { [K in OpName]: (args?: OpArgs<K>) => Promise<OpResult<K>> } & {
  /** Listens to one event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export interface ClientOptions {
  /** Called with event payloads that do not match the contract (dropped, not delivered). */
  onInvalidEvent?: (event: string, message: string) => void;
}

export function createClient(transport: Transport, options: ClientOptions = {}): Client {
  const client = {} as Record<string, unknown>;
  for (const op of OP_NAMES) {
    client[op] = async (args: unknown = {}) => {
      let raw: unknown;
      try {
        raw = await transport.request(op, args);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        const why = err instanceof Error ? err.message : String(err);
        throw new ApiError('transport', `lost the connection to the studio engine: ${why}`);
      }
      const reply = ReplySchema.safeParse(raw);
      if (!reply.success) throw new ApiError('invalid_result', `${op}: malformed reply from the engine`);
      if (!reply.data.ok) throw new ApiError(reply.data.error.code, reply.data.error.message);
      const result = operations[op].result.safeParse(reply.data.result);
      if (!result.success) {
        throw new ApiError(
          'invalid_result',
          `${op}: the engine's reply does not match the contract (${describeIssues(result.error)})`,
        );
      }
      return result.data;
    };
  }
  client.on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) =>
    transport.onEvent((name, payload) => {
      if (name !== event || !isEventName(name)) return;
      const parsed = events[event].safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
      else options.onInvalidEvent?.(name, describeIssues(parsed.error));
    });
  return client as Client;
}
