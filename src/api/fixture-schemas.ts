/**
 * Fixtures and history as the UI sees them. The fixture file format itself (YAML, versions,
 * migrations) belongs to src/fixtures; the studio service converts between that and these shapes,
 * which carry what the fixtures panel and the composer show and edit.
 */
import { z } from 'zod';
import {
  Expectations as ExpectationsFormat,
  Fixture as FixtureFormat,
  FIXTURE_VERSION,
} from '../fixtures/schema.js';
import { CallInputSchema, CallResultSchema, OutcomeSchema, PhaseSchema } from './schemas.js';

/**
 * The fixture itself is src/fixtures/schema.ts, the single source of truth for the file format
 * (pure zod, safe for the renderer): the UI edits exactly what is saved.
 */
export const FixtureSchema = FixtureFormat;
export type Fixture = z.infer<typeof FixtureSchema>;
export const ExpectationsSchema = ExpectationsFormat;
export type Expectations = z.infer<typeof ExpectationsSchema>;
export { FIXTURE_VERSION };

/** A file inside the plugin's fixtures folder, relative to it, with `/` separators (`auth/no-token.yaml`). */
export const FixtureFileSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (s) => !s.includes('\\') && !s.startsWith('/') && !s.includes('\0') && !s.split('/').includes('..'),
    'a file inside the fixtures folder, not a path out of it',
  );

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
  /** The line of the error in the file, when known. */
  line: z.number().int().nullable(),
  revision: RevisionSchema,
});
export type FixtureEntry = z.infer<typeof FixtureEntrySchema>;

export const FixtureFailureSchema = z.object({
  /** What was checked: `outcome`, `status`, `response.headers`, `request.body`... */
  what: z.string(),
  /** One sentence: `header X-Example is missing`. */
  message: z.string(),
  /** Expected and actual text, for a diff, when they make sense. */
  expected: z.string().optional(),
  actual: z.string().optional(),
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
