/**
 * The engine parts the studio service stands on, as narrow interfaces. The real ones (symbol
 * readers, plugin host supervisor, fixture store, history) are wired in engine-wiring.ts; the service
 * only sees these shapes, which keeps it readable and lets each part land on its own.
 */
import type { BinaryFile } from '../binary/types.js';
import type {
  CallInput,
  CallResult,
  PluginDescription,
  PluginSession,
  PluginSessionOptions,
} from '../runner/types.js';
import type { Fixture, FixtureEntry, FixtureRun, HistoryEntry, HistorySummary } from '../api/index.js';

export interface BinaryReader {
  /** Every symbol (imports included) and the file's summary; throws FormatError for a bad file. */
  read(path: string): Promise<BinaryFile>;
}

/** `read`: the file as the binary reader has just returned it (spares the runner reading it again). */
export type PluginOpener = (
  path: string,
  options: PluginSessionOptions,
  read?: BinaryFile,
) => Promise<PluginSession>;

/** The fixtures folder of one plugin. File names are plain names inside `dir`. */
export interface FixtureFolder {
  readonly dir: string;
  list(): Promise<FixtureEntry[]>;
  read(file: string): Promise<FixtureEntry>;
  /** Refuses (ApiError conflict) when `revision` is given and the file changed since. */
  save(fixture: Fixture, file?: string, revision?: string): Promise<FixtureEntry>;
  readText(file: string): Promise<{ file: string; text: string; revision: string }>;
  /** Refuses (ApiError invalid_args) text that is not a valid fixture, and stale revisions (conflict). */
  saveText(file: string, text: string, revision?: string): Promise<FixtureEntry>;
  rename(file: string, name: string, revision?: string): Promise<FixtureEntry>;
  duplicate(file: string): Promise<FixtureEntry>;
  remove(file: string): Promise<{ undoToken: string }>;
  undoRemove(undoToken: string): Promise<FixtureEntry>;
  /** Runs one fixture through `call` and checks its expectations; `plugin` names the handlers. */
  run(
    file: string,
    call: (input: CallInput) => Promise<CallResult>,
    plugin: PluginDescription,
  ): Promise<FixtureRun>;
}

export interface HistoryStore {
  add(entry: HistoryEntry): Promise<void>;
  list(offset: number, limit: number): Promise<{ entries: HistorySummary[]; total: number }>;
  search(query: string, limit: number): Promise<{ entries: HistorySummary[]; total: number }>;
  /** Null when there is no entry with this id. */
  get(id: string): Promise<HistoryEntry | null>;
}

export interface StudioEngine {
  binary: BinaryReader;
  openPlugin: PluginOpener;
  /** The fixtures folder for a plugin (default: `fixtures/` beside it). */
  fixtures(dir: string): FixtureFolder;
  history: HistoryStore;
}
