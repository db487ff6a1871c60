/** The contract between the UI and the engine. Pure (types and zod): safe for the renderer. */
export * from './contract.js';
export * from './schemas.js';
export * from './symbol-table.js';
export * from './fixture-schemas.js';
export * from './errors.js';
export * from './wire.js';
export { createClient, type Client, type ClientOptions, type Transport } from './client.js';
export { createDispatcher, describeIssues, type Dispatcher } from './dispatch.js';
export { createFrameTransport, type FrameSocket, type FrameTransport } from './frame-transport.js';
