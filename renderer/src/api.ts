/**
 * The renderer's one door to the engine: the contract of src/api, re-exported. Nothing else in the
 * renderer imports from src/ (lint enforces it).
 */
export { createClient, type Client, type Transport } from '../../src/api/client.js';
export { ApiError } from '../../src/api/errors.js';
export type { PluginState, EventPayload, OpResult } from '../../src/api/contract.js';
export {
  symbolAt,
  SymbolFlag,
  SYMBOL_KINDS,
  SYMBOL_SOURCES,
  SYMBOL_LANGUAGES,
  type SymbolTable,
} from '../../src/api/symbol-table.js';
export { FIXTURE_VERSION } from '../../src/api/fixture-schemas.js';
export type {
  Fixture,
  FixtureEntry,
  FixtureRun,
  Expectations,
  HistorySummary,
  HistoryEntry,
} from '../../src/api/fixture-schemas.js';

import type { z } from 'zod';
import type {
  CallInputSchema,
  CallResultSchema,
  HostStateSchema,
  HttpRequestSchema,
  HttpResponseSchema,
  OutcomeSchema,
  PhaseSchema,
  StackFrameSchema,
  BinaryInfoSchema,
} from '../../src/api/schemas.js';

export type CallInput = z.infer<typeof CallInputSchema>;
export type CallResult = z.infer<typeof CallResultSchema>;
export type HostState = z.infer<typeof HostStateSchema>;
export type HttpRequestShape = z.infer<typeof HttpRequestSchema>;
export type HttpResponseShape = z.infer<typeof HttpResponseSchema>;
export type Outcome = z.infer<typeof OutcomeSchema>;
export type Phase = z.infer<typeof PhaseSchema>;
export type StackFrame = z.infer<typeof StackFrameSchema>;
export type BinaryInfo = z.infer<typeof BinaryInfoSchema>;
