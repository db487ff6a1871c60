/** The studio service and its wiring, for browser mode, the Electron main process and tests. */
export { StudioService, type StudioServiceOptions } from './service.js';
export { createEngine, type EngineOptions } from './engine-wiring.js';
export type { StudioEngine, FixtureFolder, HistoryStore, BinaryReader, PluginOpener } from './engine.js';
export { defaultPluginPath, exampleRequest, DEFAULT_PLUGIN_FILE } from './default-plugin.js';
export { defaultDataDir } from './data-dir.js';
export { packageRoot } from './paths.js';
export { readAbiDocument } from './abi-document.js';
