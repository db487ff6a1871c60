/** The real engine behind the studio service: symbol readers, plugin hosts, fixture store, call history. */
import { CallHistory } from '../fixtures/history.js';
import type { StudioEngine } from './engine.js';
import { StoreFixtureFolder } from './fixture-folder.js';

export interface EngineOptions {
  /** The app's data folder: the call history lives there. */
  dataDir: string;
}

export function createEngine(options: EngineOptions): StudioEngine {
  return {
    binary: {
      async read(path) {
        const { openBinary } = await import('../binary/index.js');
        return openBinary(path, { imports: true });
      },
    },
    async openPlugin(path, sessionOptions, read) {
      const { openPlugin } = await import('../runner/index.js');
      return openPlugin(path, sessionOptions, read);
    },
    fixtures: (dir) => new StoreFixtureFolder(dir),
    history: new CallHistory(options.dataDir),
  };
}
