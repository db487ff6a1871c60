/**
 * The one contract between the UI and the engine: every operation and event, declared once, with
 * zod schemas for arguments, results and event payloads. Both transports (Electron IPC through the
 * preload, WebSocket in browser mode) are generic over this table; see README.md in this folder for
 * the wire format. Pure: types and zod only, bundled by the renderer.
 */
import { z } from 'zod';
import {
  BinaryInfoSchema,
  CallInputSchema,
  CallResultSchema,
  HostStateSchema,
  PluginDescriptionSchema,
} from './schemas.js';
import { SymbolTableSchema } from './symbol-table.js';
import {
  FixtureEntrySchema,
  FixtureFileSchema,
  FixtureRunSchema,
  FixtureSchema,
  HistoryEntrySchema,
  HistorySummarySchema,
  RevisionSchema,
} from './fixture-schemas.js';

export const PluginStateSchema = z.object({
  path: z.string(),
  /** What the symbol reader found; null when the file is not a binary it understands. */
  binary: BinaryInfoSchema.nullable(),
  /** What the plugin host reported; null while loading or when the host could not load the file. */
  plugin: PluginDescriptionSchema.nullable(),
  host: HostStateSchema,
  /** A sentence when the file cannot be read or loaded ("ELF 32-bit ARM ...: cannot load here"). */
  error: z.string().nullable(),
  symbolCount: z.number().int().min(0),
  /** The folder the fixtures panel reads and writes. */
  fixturesDir: z.string(),
});
export type PluginState = z.infer<typeof PluginStateSchema>;

const empty = z.object({});
const file = z.object({ file: FixtureFileSchema });

/** Every operation: its argument and result schema. */
export const operations = {
  /** Opens a plugin (closing the previous one): reads its symbols, starts its host. */
  openPlugin: { args: z.object({ path: z.string().min(1) }), result: PluginStateSchema },
  /** The plugin open now, if any (a reconnecting UI asks this first). */
  currentPlugin: { args: empty, result: PluginStateSchema.nullable() },
  closePlugin: { args: empty, result: z.object({ closed: z.boolean() }) },
  /** Every symbol of the open plugin, in one compact table (the UI filters and virtualizes). */
  symbols: { args: empty, result: SymbolTableSchema },
  /**
   * The first `limit` rows of the symbol list's display order (handlers, Studio ABI exports, then by
   * displayed name) as a small table of their own, and how many rows the full table has: the UI
   * paints its first screen with these while the full table crosses the wire.
   */
  symbolsHead: {
    args: z.object({ limit: z.number().int().min(1).max(1000) }),
    result: z.object({ total: z.number().int().min(0), table: SymbolTableSchema }),
  },
  /** Runs one handler. Every failure of the plugin is a result (outcome), never a rejected request. */
  call: { args: CallInputSchema, result: CallResultSchema },
  /** Kills the running call; the call's result has outcome `error` with "cancelled". */
  cancel: { args: empty, result: z.object({ cancelled: z.boolean() }) },
  /** Restarts the host and reads the file again. */
  reload: { args: empty, result: PluginStateSchema },
  /** The bundled example plugin and a request that runs with one click. */
  defaultPlugin: {
    args: empty,
    result: z.object({
      path: z.string(),
      available: z.boolean(),
      /** Why the example cannot be opened (not built yet: `npm run build:examples`). */
      reason: z.string().nullable(),
      request: CallInputSchema.nullable(),
    }),
  },
  /** The native handler ABI (shared/ABI.md), as Markdown, for the Help menu. */
  abiDocument: { args: empty, result: z.object({ title: z.string(), markdown: z.string() }) },

  fixturesList: {
    args: empty,
    result: z.object({ dir: z.string(), entries: z.array(FixtureEntrySchema) }),
  },
  fixturesRead: { args: file, result: FixtureEntrySchema },
  /**
   * Saves a fixture. `file` absent: a new file named from the fixture's name. `revision`: the
   * revision last read; when the file changed on disk since, the save is refused (code `conflict`).
   */
  fixturesSave: {
    args: z.object({
      file: FixtureFileSchema.optional(),
      fixture: FixtureSchema,
      revision: RevisionSchema.optional(),
    }),
    result: FixtureEntrySchema,
  },
  /** The file as typed (comments and layout kept), for editing as text with the fixture JSON Schema. */
  fixturesReadText: {
    args: file,
    result: z.object({ file: FixtureFileSchema, text: z.string(), revision: RevisionSchema }),
  },
  /** The fixture format's JSON Schema (generated from the zod schema), for the text editor. */
  fixturesSchema: {
    args: empty,
    result: z.object({ id: z.string(), schema: z.record(z.string(), z.unknown()) }),
  },
  /** Saves edited text once it parses as a fixture; invalid text is refused (code `invalid_args`). */
  fixturesSaveText: {
    args: z.object({ file: FixtureFileSchema, text: z.string(), revision: RevisionSchema.optional() }),
    result: FixtureEntrySchema,
  },
  fixturesRename: {
    args: z.object({ file: FixtureFileSchema, name: z.string().min(1), revision: RevisionSchema.optional() }),
    result: FixtureEntrySchema,
  },
  fixturesDuplicate: { args: file, result: FixtureEntrySchema },
  /** Deletes a fixture; the returned token undoes it (the file is kept aside until then). */
  fixturesDelete: { args: file, result: z.object({ undoToken: z.string() }) },
  fixturesUndoDelete: { args: z.object({ undoToken: z.string() }), result: FixtureEntrySchema },
  fixturesRun: { args: file, result: FixtureRunSchema },
  fixturesRunAll: {
    args: empty,
    result: z.object({ runs: z.array(FixtureRunSchema), passed: z.number(), failed: z.number() }),
  },

  /** Most recent first. */
  historyList: {
    args: z.object({
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    result: z.object({ entries: z.array(HistorySummarySchema), total: z.number() }),
  },
  historySearch: {
    args: z.object({ query: z.string(), limit: z.number().int().min(1).max(500).optional() }),
    result: z.object({ entries: z.array(HistorySummarySchema), total: z.number() }),
  },
  historyGet: { args: z.object({ id: z.string() }), result: HistoryEntrySchema },
} as const;

/** Every event the engine pushes to the UI. */
export const events = {
  hostStatus: z.object({ path: z.string(), state: HostStateSchema, detail: z.string().nullable() }),
  /** The watched plugin file changed: `reloaded` ("rebuilt, reloaded"), `removed`, or `failed` (with why). */
  fileChanged: z.object({
    path: z.string(),
    status: z.enum(['reloaded', 'removed', 'failed']),
    message: z.string(),
  }),
  /** Long work in progress (Go bridge build): a line for the status bar. */
  progress: z.object({ path: z.string(), message: z.string() }),
  /** A plugin was opened by something other than the UI's own request (menu, drag and drop, argv). */
  pluginOpened: PluginStateSchema,
  /** Files in the fixtures folder changed (saved here or edited elsewhere). */
  fixturesChanged: z.object({ dir: z.string() }),
  /** A native menu item the UI carries out (Electron). */
  menuCommand: z.object({
    command: z.enum(['saveFixture', 'openPlugin', 'showAbi', 'runCall', 'cancelCall']),
  }),
} as const;

export type Operations = typeof operations;
export type OpName = keyof Operations;
export type OpArgs<K extends OpName> = z.input<Operations[K]['args']>;
export type OpParsedArgs<K extends OpName> = z.output<Operations[K]['args']>;
export type OpResult<K extends OpName> = z.output<Operations[K]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const OP_NAMES = Object.keys(operations) as OpName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isOpName(op: unknown): op is OpName {
  return typeof op === 'string' && Object.prototype.hasOwnProperty.call(operations, op);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** What the engine implements (the studio service) and what a client exposes: one method per operation. */
export type StudioApi = { [K in OpName]: (args: OpParsedArgs<K>) => Promise<OpResult<K>> };

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
