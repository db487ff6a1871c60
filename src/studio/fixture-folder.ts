/**
 * The fixtures folder of one plugin, as the contract sees it, over src/fixtures' store and replay.
 * The store's errors become ApiErrors with the right code: a file changed by someone else is a
 * `conflict`, a missing one `not_found`, text that is not a fixture `invalid_args`.
 */
import { ApiError, type FixtureEntry, type FixtureRun } from '../api/index.js';
import { FixtureFormatError } from '../fixtures/errors.js';
import { runFixture } from '../fixtures/replay.js';
import type { Fixture } from '../fixtures/schema.js';
import {
  FixtureConflictError,
  FixtureStore,
  FixtureStoreError,
  type FileStamp,
  type StoredFixture,
} from '../fixtures/store.js';
import type { TrashedFile } from '../fixtures/trash.js';
import type { CallInput, CallResult, PluginDescription } from '../runner/types.js';
import type { FixtureFolder } from './engine.js';

function entry(s: StoredFixture): FixtureEntry {
  return { file: s.file, fixture: s.fixture, error: null, line: null, revision: s.stamp.hash };
}

/** The store compares content hashes; the revision the UI holds is that hash. */
function base(revision: string | undefined): FileStamp | undefined {
  return revision === undefined ? undefined : { hash: revision, mtimeMs: 0, size: 0 };
}

function translate(err: unknown): never {
  if (err instanceof ApiError) throw err;
  if (err instanceof FixtureConflictError) throw new ApiError('conflict', err.message);
  if (err instanceof FixtureFormatError) throw new ApiError('invalid_args', err.message);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') throw new ApiError('not_found', 'That fixture file does not exist (any more).');
  if (err instanceof FixtureStoreError) {
    throw new ApiError(/does not exist/.test(err.message) ? 'not_found' : 'failed', err.message);
  }
  throw new ApiError('failed', err instanceof Error ? err.message : String(err));
}

async function guarded<T>(work: () => T): Promise<T> {
  try {
    return work();
  } catch (err) {
    translate(err);
  }
}

export class StoreFixtureFolder implements FixtureFolder {
  private readonly store: FixtureStore;
  /** Deleted files by undo token, until the studio closes. */
  private readonly trashed = new Map<string, TrashedFile>();
  private nextToken = 1;

  constructor(readonly dir: string) {
    this.store = new FixtureStore(dir);
  }

  list(): Promise<FixtureEntry[]> {
    return guarded(() => {
      const { fixtures, invalid } = this.store.list();
      const all: FixtureEntry[] = [
        ...fixtures.map(entry),
        ...invalid.map((i) => ({
          file: i.file,
          fixture: null,
          error: i.error,
          line: i.line,
          revision: i.stamp.hash,
        })),
      ];
      return all.sort((a, b) => a.file.localeCompare(b.file));
    });
  }

  read(file: string): Promise<FixtureEntry> {
    return guarded(() => {
      try {
        return entry(this.store.load(file));
      } catch (err) {
        if (!(err instanceof FixtureFormatError)) throw err;
        // A broken file is shown with its error (and never rewritten), not refused.
        const { stamp } = this.store.loadText(file);
        return { file, fixture: null, error: err.message, line: err.line, revision: stamp.hash };
      }
    });
  }

  save(fixture: Fixture, file?: string, revision?: string): Promise<FixtureEntry> {
    return guarded(() =>
      entry(
        this.store.save(fixture, {
          ...(file ? { file } : {}),
          ...(revision ? { base: base(revision) } : {}),
        }),
      ),
    );
  }

  readText(file: string): Promise<{ file: string; text: string; revision: string }> {
    return guarded(() => {
      const { text, stamp } = this.store.loadText(file);
      return { file, text, revision: stamp.hash };
    });
  }

  saveText(file: string, text: string, revision?: string): Promise<FixtureEntry> {
    return guarded(() => entry(this.store.saveText(file, text, base(revision))));
  }

  rename(file: string, name: string, revision?: string): Promise<FixtureEntry> {
    return guarded(() => entry(this.store.rename(file, name, base(revision))));
  }

  duplicate(file: string): Promise<FixtureEntry> {
    return guarded(() => entry(this.store.duplicate(file)));
  }

  remove(file: string): Promise<{ undoToken: string }> {
    return guarded(() => {
      const t = this.store.delete(file);
      const undoToken = `undo-${this.nextToken++}`;
      this.trashed.set(undoToken, t);
      return { undoToken };
    });
  }

  undoRemove(undoToken: string): Promise<FixtureEntry> {
    return guarded(() => {
      const t = this.trashed.get(undoToken);
      if (!t) throw new ApiError('not_found', 'There is nothing to undo: that deletion is no longer known.');
      const restored = entry(this.store.undoDelete(t));
      this.trashed.delete(undoToken);
      return restored;
    });
  }

  async run(
    file: string,
    call: (input: CallInput) => Promise<CallResult>,
    plugin: PluginDescription,
  ): Promise<FixtureRun> {
    let stored: StoredFixture;
    try {
      stored = this.store.load(file);
    } catch (err) {
      if (err instanceof FixtureFormatError) {
        return { file, name: file, passed: false, failures: [], result: null, error: err.message };
      }
      translate(err);
    }
    const run = await runFixture(call, plugin, stored, { dir: this.dir });
    return {
      file: run.file,
      name: run.name,
      passed: run.passed,
      failures: run.failures,
      result: run.result,
      error: run.error,
    };
  }
}
