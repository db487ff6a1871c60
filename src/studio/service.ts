/**
 * The studio service: the contract (src/api) implemented on the engine. One plugin is open at a
 * time; its file is watched, so a rebuild restarts the host and the UI hears "rebuilt, reloaded".
 * Every plugin failure is a call result; operations reject only with ApiError sentences.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  encodeSymbolTable,
  type EventName,
  type EventPayload,
  type OpParsedArgs,
  type OpResult,
  type PluginState,
  type StudioApi,
  type SymbolTable,
  symbolTableHead,
} from '../api/index.js';
import type { BinaryFile, BinaryInfo, SymbolRecord } from '../binary/types.js';
import type { CallInput, CallResult, HostSpawner, HostState, PluginSession } from '../runner/types.js';
import { readAbiDocument } from './abi-document.js';
import { defaultPluginPath, describeDefaultPlugin } from './default-plugin.js';
import type { FixtureFolder, StudioEngine } from './engine.js';
import { watchFile, watchFolder, type FileChange, type FileWatcher } from './file-watcher.js';
import { FIXTURE_SCHEMA_ID, fixtureJsonSchema } from '../fixtures/json-schema.js';

export interface StudioServiceOptions {
  engine: StudioEngine;
  /** How plugin hosts are started: child_process (default) or Electron's utilityProcess. */
  spawn?: HostSpawner;
  /** Per-call time limit handed to the host supervisor. */
  timeoutMs?: number;
  /** The example plugin opened when the user has chosen none. */
  defaultPlugin?: string;
  /** Where a plugin's fixtures live (default: `fixtures/` beside the plugin). */
  fixturesDirFor?: (pluginPath: string) => string;
  /** Quiet time after the last change to a plugin file before it is reloaded. */
  watchDebounceMs?: number;
  abiDocument?: () => Promise<OpResult<'abiDocument'>>;
}

type Listener = (event: EventName, payload: unknown) => void;

interface Opened {
  path: string;
  binary: BinaryInfo | null;
  /** The file as last read, until a host is started from it (the runner need not read it again). */
  read: BinaryFile | null;
  symbols: SymbolRecord[];
  table: SymbolTable | null;
  session: PluginSession | null;
  /** Last state reported by the host supervisor, for when there is no session. */
  host: HostState;
  error: string | null;
  fixtures: FixtureFolder;
  watcher: FileWatcher | null;
  /** The fixtures folder, once it exists: files changed by someone else show up in the panel. */
  fixturesWatcher: FileWatcher | null;
  closed: boolean;
  /** Calls sent and not yet answered (the session queues them). */
  inFlight: number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The Go package a plugin's handlers live in. The bridge names a handler as plugin.Lookup does
 * (`AddHeader`) while the file names it `example.com/plugin.AddHeader`, and the build info does not
 * always say which package is the plugin's own: it is the one that defines the most of them.
 */
function pluginPackage(
  symbols: readonly SymbolRecord[],
  handlers: ReadonlyMap<string, unknown>,
): string | null {
  const counts = new Map<string, number>();
  for (const s of symbols) {
    if (!s.defined || s.language !== 'go') continue;
    const dot = s.name.lastIndexOf('.');
    if (dot <= 0 || !handlers.has(s.name.slice(dot + 1))) continue;
    const pkg = s.name.slice(0, dot);
    if (/[()*\s]/.test(pkg)) continue; // a method (`pkg.(*T).Name`), not a package-level func or var
    counts.set(pkg, (counts.get(pkg) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [pkg, n] of counts) if (best === null || n > counts.get(best)!) best = pkg;
  return best;
}

export class StudioService implements StudioApi {
  private readonly listeners = new Set<Listener>();
  private current: Opened | null = null;
  /** Opens and reloads run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The last call being written to the history. */
  private recording: Promise<void> = Promise.resolve();

  constructor(private readonly options: StudioServiceOptions) {}

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of [...this.listeners]) l(event, payload);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private fixturesDirFor(pluginPath: string): string {
    return this.options.fixturesDirFor?.(pluginPath) ?? path.join(path.dirname(pluginPath), 'fixtures');
  }

  private state(o: Opened): PluginState {
    return {
      path: o.path,
      binary: o.binary,
      plugin: o.session?.description ?? null,
      host: o.session?.state ?? o.host,
      error: o.error,
      symbolCount: o.symbols.length,
      fixturesDir: o.fixtures.dir,
    };
  }

  private require(): Opened {
    if (!this.current) throw new ApiError('no_plugin', 'No plugin is open: open a plugin file first.');
    return this.current;
  }

  private requireSession(): PluginSession {
    const o = this.require();
    if (!o.session) {
      throw new ApiError(
        'failed',
        o.error ?? `${path.basename(o.path)} is not loaded: reload it to try again.`,
      );
    }
    return o.session;
  }

  /** Reads the file's symbols. Problems become `error` on the state, never a rejection. */
  private async readBinary(o: Opened): Promise<void> {
    try {
      const file = await this.options.engine.binary.read(o.path);
      o.binary = file.info;
      o.read = file;
      o.symbols = file.symbols;
      o.error = file.info.loadable.ok
        ? null
        : (file.info.loadable.reason ?? 'This file cannot be loaded here.');
    } catch (err) {
      o.binary = null;
      o.read = null;
      o.symbols = [];
      o.error = message(err);
    }
    o.table = null;
  }

  private async startHost(o: Opened): Promise<void> {
    const read = o.read ?? undefined;
    o.read = null;
    try {
      o.session = await this.options.engine.openPlugin(
        o.path,
        {
          ...(this.options.spawn ? { spawn: this.options.spawn } : {}),
          ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
          onStatus: (state, detail) => {
            o.host = state;
            if (!o.closed) this.emit('hostStatus', { path: o.path, state, detail: detail ?? null });
          },
          onProgress: (text) => {
            if (!o.closed) this.emit('progress', { path: o.path, message: text });
          },
        },
        read,
      );
      o.host = o.session.state;
      this.markHandlers(o);
    } catch (err) {
      o.session = null;
      o.host = 'failed';
      o.error = message(err);
      this.emit('hostStatus', { path: o.path, state: 'failed', detail: o.error });
    }
  }

  /** The symbol list shows handlers first with their phase: the host knows them from the manifest or the Go types. */
  private markHandlers(o: Opened): void {
    const description = o.session?.description;
    // Without a manifest or Go types, every export is merely a candidate: nothing to mark.
    if (!description || (!description.manifest && description.kind !== 'go-plugin')) return;
    const handlers = new Map(description.handlers.map((h) => [h.symbol, h]));
    if (handlers.size === 0) return;
    const goPackage = description.kind === 'go-plugin' ? pluginPackage(o.symbols, handlers) : null;
    const handlerOf = (s: SymbolRecord) =>
      handlers.get(s.name) ??
      (goPackage !== null && s.name.startsWith(`${goPackage}.`)
        ? handlers.get(s.name.slice(goPackage.length + 1))
        : undefined);
    o.symbols = o.symbols.map((s) => {
      const h = s.defined ? handlerOf(s) : undefined;
      if (!h || s.handler) return s;
      return {
        ...s,
        handler: { phase: h.phase, ...(h.description ? { description: h.description } : {}) },
        ...(h.goType && !s.goType ? { goType: h.goType } : {}),
      };
    });
    o.table = null;
  }

  private async load(file: string): Promise<Opened> {
    const abs = path.resolve(file);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(abs);
    } catch {
      throw new ApiError('not_found', `There is no file at ${abs}.`);
    }
    if (!stat.isFile()) throw new ApiError('failed', `${abs} is a folder, not a plugin file.`);
    const o: Opened = {
      path: abs,
      binary: null,
      read: null,
      symbols: [],
      table: null,
      session: null,
      host: 'stopped',
      error: null,
      fixtures: this.options.engine.fixtures(this.fixturesDirFor(abs)),
      watcher: null,
      fixturesWatcher: null,
      closed: false,
      inFlight: 0,
    };
    await this.readBinary(o);
    // A file the reader rejects or that cannot run on this machine never reaches a host: its
    // symbols (if any) are still listed and the reason is shown.
    if (o.binary && o.error === null) await this.startHost(o);
    return o;
  }

  private async closeOpened(o: Opened): Promise<void> {
    o.closed = true;
    o.watcher?.close();
    o.fixturesWatcher?.close();
    const session = o.session;
    o.session = null;
    await session?.close().catch(() => undefined);
  }

  /**
   * Opens a plugin in place of the current one. `announce` tells every connected UI (menu, drag and
   * drop, command line: opens the UI did not ask for itself).
   */
  open(file: string, announce = false): Promise<PluginState> {
    return this.exclusive(async () => {
      const o = await this.load(file);
      if (this.current) await this.closeOpened(this.current);
      this.current = o;
      o.watcher = watchFile(
        o.path,
        (change) => void this.onFileChange(o, change),
        this.options.watchDebounceMs,
      );
      this.watchFixtures(o);
      const state = this.state(o);
      if (announce) this.emit('pluginOpened', state);
      return state;
    });
  }

  private async onFileChange(o: Opened, change: FileChange): Promise<void> {
    if (o.closed || this.current !== o) return;
    if (change === 'removed') {
      this.emit('fileChanged', {
        path: o.path,
        status: 'removed',
        message: 'The plugin file was removed; the version loaded before stays open.',
      });
      return;
    }
    try {
      const state = await this.reloadOpened(o);
      if (state.error) {
        this.emit('fileChanged', { path: o.path, status: 'failed', message: state.error });
      } else {
        this.emit('fileChanged', { path: o.path, status: 'reloaded', message: 'rebuilt, reloaded' });
      }
      this.emit('pluginOpened', state);
    } catch (err) {
      this.emit('fileChanged', { path: o.path, status: 'failed', message: message(err) });
    }
  }

  private reloadOpened(o: Opened): Promise<PluginState> {
    return this.exclusive(async () => {
      if (o.closed) throw new ApiError('failed', 'The plugin was closed while it was being reloaded.');
      await this.readBinary(o);
      if (o.error === null) {
        if (o.session) {
          o.read = null; // the session reads the file again itself when it changed
          try {
            await o.session.reload();
            this.markHandlers(o);
          } catch (err) {
            o.error = message(err);
          }
        } else {
          await this.startHost(o);
        }
      }
      return this.state(o);
    });
  }

  /** Closes the plugin and its host (server shutdown, window closed). */
  async dispose(): Promise<void> {
    await this.exclusive(async () => {
      if (this.current) await this.closeOpened(this.current);
      this.current = null;
    });
    this.listeners.clear();
  }

  // ---- the contract ----

  openPlugin(args: OpParsedArgs<'openPlugin'>): Promise<PluginState> {
    return this.open(args.path);
  }

  async currentPlugin(): Promise<PluginState | null> {
    return this.current ? this.state(this.current) : null;
  }

  closePlugin(): Promise<{ closed: boolean }> {
    return this.exclusive(async () => {
      const o = this.current;
      if (!o) return { closed: false };
      this.current = null;
      await this.closeOpened(o);
      return { closed: true };
    });
  }

  async symbols(): Promise<SymbolTable> {
    const o = this.require();
    o.table ??= encodeSymbolTable(o.path, o.symbols);
    return o.table;
  }

  async symbolsHead(args: OpParsedArgs<'symbolsHead'>): Promise<OpResult<'symbolsHead'>> {
    const o = this.require();
    return symbolTableHead(o.path, o.symbols, args.limit);
  }

  async call(input: OpParsedArgs<'call'>): Promise<CallResult> {
    const o = this.require();
    const session = this.requireSession();
    o.inFlight++;
    let result: CallResult;
    try {
      result = await session.call(input as CallInput);
    } finally {
      o.inFlight--;
    }
    // Recorded off the reply's path (a result is painted sooner); history reads wait for it.
    this.recording = this.options.engine.history
      .add({
        id: randomUUID(),
        at: new Date().toISOString(),
        symbol: input.symbol,
        phase: input.phase,
        method: input.request.method,
        url: input.request.url,
        outcome: result.outcome,
        durationMs: result.durationMs,
        plugin: o.path,
        input: input as CallInput,
        result,
      })
      // History is a convenience: failing to record a call must not hide the call's result.
      .catch(() => undefined);
    return result;
  }

  async cancel(): Promise<{ cancelled: boolean }> {
    const o = this.current;
    if (!o?.session || (o.inFlight === 0 && o.session.state !== 'busy')) return { cancelled: false };
    o.session.cancel();
    return { cancelled: true };
  }

  reload(): Promise<PluginState> {
    return this.reloadOpened(this.require());
  }

  async defaultPlugin(): Promise<OpResult<'defaultPlugin'>> {
    return describeDefaultPlugin(this.options.defaultPlugin ?? defaultPluginPath());
  }

  abiDocument(): Promise<OpResult<'abiDocument'>> {
    return (this.options.abiDocument ?? readAbiDocument)();
  }

  private fixtures(): FixtureFolder {
    return this.require().fixtures;
  }

  private changed<T>(result: T): T {
    const o = this.require();
    this.emit('fixturesChanged', { dir: o.fixtures.dir });
    this.watchFixtures(o);
    return result;
  }

  private watchFixtures(o: Opened): void {
    if (o.fixturesWatcher || o.closed) return;
    o.fixturesWatcher = watchFolder(
      o.fixtures.dir,
      () => {
        if (!o.closed) this.emit('fixturesChanged', { dir: o.fixtures.dir });
      },
      this.options.watchDebounceMs,
    );
  }

  async fixturesList(): Promise<OpResult<'fixturesList'>> {
    const f = this.fixtures();
    return { dir: f.dir, entries: await f.list() };
  }

  fixturesRead(args: OpParsedArgs<'fixturesRead'>): Promise<OpResult<'fixturesRead'>> {
    return this.fixtures().read(args.file);
  }

  async fixturesSave(args: OpParsedArgs<'fixturesSave'>): Promise<OpResult<'fixturesSave'>> {
    return this.changed(await this.fixtures().save(args.fixture, args.file, args.revision));
  }

  fixturesReadText(args: OpParsedArgs<'fixturesReadText'>): Promise<OpResult<'fixturesReadText'>> {
    return this.fixtures().readText(args.file);
  }

  fixturesSchema(): Promise<OpResult<'fixturesSchema'>> {
    return Promise.resolve({ id: FIXTURE_SCHEMA_ID, schema: fixtureJsonSchema() });
  }

  async fixturesSaveText(args: OpParsedArgs<'fixturesSaveText'>): Promise<OpResult<'fixturesSaveText'>> {
    return this.changed(await this.fixtures().saveText(args.file, args.text, args.revision));
  }

  async fixturesRename(args: OpParsedArgs<'fixturesRename'>): Promise<OpResult<'fixturesRename'>> {
    return this.changed(await this.fixtures().rename(args.file, args.name, args.revision));
  }

  async fixturesDuplicate(args: OpParsedArgs<'fixturesDuplicate'>): Promise<OpResult<'fixturesDuplicate'>> {
    return this.changed(await this.fixtures().duplicate(args.file));
  }

  async fixturesDelete(args: OpParsedArgs<'fixturesDelete'>): Promise<OpResult<'fixturesDelete'>> {
    return this.changed(await this.fixtures().remove(args.file));
  }

  async fixturesUndoDelete(
    args: OpParsedArgs<'fixturesUndoDelete'>,
  ): Promise<OpResult<'fixturesUndoDelete'>> {
    return this.changed(await this.fixtures().undoRemove(args.undoToken));
  }

  /** Fixture runs go straight to the host: replaying a folder must not flood the call history. */
  private runFixture(file: string) {
    const session = this.requireSession();
    return this.fixtures().run(file, (input) => session.call(input), session.description);
  }

  fixturesRun(args: OpParsedArgs<'fixturesRun'>): Promise<OpResult<'fixturesRun'>> {
    return this.runFixture(args.file);
  }

  async fixturesRunAll(): Promise<OpResult<'fixturesRunAll'>> {
    const entries = await this.fixtures().list();
    const runs: OpResult<'fixturesRun'>[] = [];
    for (const entry of entries) {
      if (entry.fixture === null) {
        runs.push({
          file: entry.file,
          name: entry.file,
          passed: false,
          failures: [],
          result: null,
          error: entry.error ?? 'This file is not a valid fixture.',
        });
      } else {
        runs.push(await this.runFixture(entry.file));
      }
    }
    const passed = runs.filter((r) => r.passed).length;
    return { runs, passed, failed: runs.length - passed };
  }

  async historyList(args: OpParsedArgs<'historyList'>): Promise<OpResult<'historyList'>> {
    await this.recording;
    return this.options.engine.history.list(args.offset ?? 0, args.limit ?? 100);
  }

  async historySearch(args: OpParsedArgs<'historySearch'>): Promise<OpResult<'historySearch'>> {
    await this.recording;
    return this.options.engine.history.search(args.query, args.limit ?? 100);
  }

  async historyGet(args: OpParsedArgs<'historyGet'>): Promise<OpResult<'historyGet'>> {
    await this.recording;
    const entry = await this.options.engine.history.get(args.id);
    if (!entry) throw new ApiError('not_found', 'That call is no longer in the history.');
    return entry;
  }
}
