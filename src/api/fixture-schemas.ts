/**
 * Fixtures and history as the UI sees them. The fixture file format itself (YAML, versions,
 * migrations) belongs to src/fixtures; the studio service converts between that and these shapes,
 * which carry what the fixtures panel and the composer show and edit.
 */
import { z } from 'zod';
import {
  CallInputSchema,
  CallResultSchema,
  HttpRequestSchema,
  HttpResponseSchema,
  OutcomeSchema,
  PhaseSchema,
} from './schemas.js';

export const ExpectationsSchema = z.object({
  outcome: OutcomeSchema.optional(),
  status: z.number().int().optional(),
  headers: z
    .object({
      present: z.array(z.string()).optional(),
      absent: z.array(z.string()).optional(),
      equal: z.array(z.tuple([z.string(), z.string()])).optional(),
    })
    .optional(),
  body: z
    .object({
      equals: z.string().optional(),
      contains: z.string().optional(),
      jsonSubset: z.unknown().optional(),
      /** Name of the stored snapshot file, relative to the fixtures folder. */
      snapshot: z.string().optional(),
    })
    .optional(),
});
export type Expectations = z.infer<typeof ExpectationsSchema>;

export const FixtureSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  target: z.object({ symbol: z.string().min(1), phase: PhaseSchema }),
  request: HttpRequestSchema,
  /** The upstream response, for response handlers. */
  response: HttpResponseSchema.nullable().optional(),
  config: z.unknown().optional(),
  expect: ExpectationsSchema.optional(),
});
export type Fixture = z.infer<typeof FixtureSchema>;

/** A file name inside the plugin's fixtures folder (no directories: the service resolves it). */
export const FixtureFileSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[/\\]/.test(s) && s !== '.' && s !== '..', 'a fixture file name, not a path');

/**
 * Opaque version stamp of a file as last read; a save with a stale revision is refused, so a file
 * changed by someone else on disk is never silently overwritten.
 */
export const RevisionSchema = z.string();

export const FixtureEntrySchema = z.object({
  file: FixtureFileSchema,
  /** Null when the file could not be read. */
  fixture: FixtureSchema.nullable(),
  /** A sentence saying why the file is not a valid fixture; it is listed and never rewritten. */
  error: z.string().nullable(),
  revision: RevisionSchema,
});
export type FixtureEntry = z.infer<typeof FixtureEntrySchema>;

export const FixtureFailureSchema = z.object({
  /** What was checked: `outcome`, `status`, `header X-Id`, `body contains`... */
  check: z.string(),
  expected: z.string(),
  actual: z.string(),
});

export const FixtureRunSchema = z.object({
  file: FixtureFileSchema,
  name: z.string(),
  passed: z.boolean(),
  failures: z.array(FixtureFailureSchema),
  result: CallResultSchema.nullable(),
  /** A sentence when the fixture could not be run at all. */
  error: z.string().nullable(),
});
export type FixtureRun = z.infer<typeof FixtureRunSchema>;

export const HistorySummarySchema = z.object({
  id: z.string(),
  /** ISO 8601 time of the call. */
  at: z.string(),
  symbol: z.string(),
  phase: PhaseSchema,
  method: z.string(),
  url: z.string(),
  outcome: OutcomeSchema,
  durationMs: z.number(),
  plugin: z.string(),
});
export type HistorySummary = z.infer<typeof HistorySummarySchema>;

export const HistoryEntrySchema = HistorySummarySchema.extend({
  input: CallInputSchema,
  result: CallResultSchema,
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
