/**
 * zod schemas for the engine shapes that cross the UI boundary (src/runner/types.ts,
 * src/binary/types.ts). Each schema is checked against its TypeScript type at compile time at the end
 * of this file, so the two can never drift apart. Pure: no node imports (the renderer bundles this).
 */
import { z } from 'zod';
import type {
  CallInput,
  CallResult,
  CrashInfo,
  HandlerInfo,
  HostState,
  HttpRequestShape,
  HttpResponseShape,
  LogLine,
  Outcome,
  PanicInfo,
  PluginDescription,
  PluginManifest,
  StackFrame,
} from '../runner/types.js';
import type { BinaryInfo, GoBuildInfo, GoModule, LoadVerdict, MachOSlice } from '../binary/types.js';
import { OUTCOMES } from '../runner/types.js';

export const PhaseSchema = z.enum(['request', 'response']);
export const BodyEncodingSchema = z.enum(['utf8', 'base64']);
export const HeaderListSchema = z.array(z.tuple([z.string(), z.string()]));

export const HttpRequestSchema = z.object({
  method: z.string(),
  url: z.string(),
  proto: z.string().optional(),
  remote_addr: z.string().optional(),
  headers: HeaderListSchema,
  body: z.string(),
  body_encoding: BodyEncodingSchema.optional(),
});

export const HttpResponseSchema = z.object({
  status: z.number().int(),
  headers: HeaderListSchema,
  body: z.string(),
  body_encoding: BodyEncodingSchema.optional(),
});

export const OutcomeSchema = z.enum(OUTCOMES);

export const LogLineSchema = z.object({
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
});

export const StackFrameSchema = z.object({
  function: z.string(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  plugin: z.boolean(),
});

export const PanicInfoSchema = z.object({
  message: z.string(),
  stack: z.string(),
  frames: z.array(StackFrameSchema),
});

export const CrashInfoSchema = z.object({
  signal: z.string().nullable(),
  signalDescription: z.string().nullable(),
  exitCode: z.number().nullable(),
  message: z.string(),
  trace: z.enum(['go-panic', 'go-fatal', 'cpp-terminate', 'rust-panic', 'abort']).nullable(),
  traceMessage: z.string().nullable(),
  frames: z.array(StackFrameSchema),
  stderr: z.string(),
  restarted: z.boolean(),
});

export const CallInputSchema = z.object({
  symbol: z.string().min(1),
  phase: PhaseSchema,
  request: HttpRequestSchema,
  response: HttpResponseSchema.nullable().optional(),
  config: z.unknown().optional(),
  timeoutMs: z.number().int().positive().max(3_600_000).optional(),
});

export const CallResultSchema = z.object({
  outcome: OutcomeSchema,
  symbol: z.string(),
  phase: PhaseSchema,
  requestBefore: HttpRequestSchema,
  request: HttpRequestSchema,
  responseBefore: HttpResponseSchema.nullable(),
  response: HttpResponseSchema.nullable(),
  logs: z.array(LogLineSchema),
  stdout: z.string(),
  stderr: z.string(),
  panic: PanicInfoSchema.nullable(),
  crash: CrashInfoSchema.nullable(),
  error: z.string().nullable(),
  status: z.number().nullable(),
  durationMs: z.number(),
  inputBytes: z.number(),
  outputBytes: z.number(),
});

export const HostStateSchema = z.enum([
  'starting',
  'ready',
  'busy',
  'crashed',
  'restarting',
  'stopped',
  'failed',
]);

export const HandlerInfoSchema = z.object({
  symbol: z.string(),
  phase: PhaseSchema.nullable(),
  description: z.string().optional(),
  goType: z.string().optional(),
});

export const PluginManifestSchema = z.object({
  abi: z.number(),
  name: z.string().optional(),
  version: z.string().optional(),
  handlers: z.array(z.object({ symbol: z.string(), phase: PhaseSchema, description: z.string().optional() })),
});

export const PluginDescriptionSchema = z.object({
  path: z.string(),
  kind: z.enum(['native', 'go-plugin']),
  studioAbi: z.boolean(),
  abiVersion: z.number().nullable(),
  manifest: PluginManifestSchema.nullable(),
  handlers: z.array(HandlerInfoSchema),
  /** Problems that did not stop loading (an unreadable manifest), one sentence each. */
  warnings: z.array(z.string()).optional(),
});

const GoModuleBase = z.object({ path: z.string(), version: z.string(), sum: z.string().optional() });
export const GoModuleSchema = GoModuleBase.extend({ replace: GoModuleBase.nullable().optional() });

export const GoBuildInfoSchema = z.object({
  version: z.string().nullable(),
  versionSource: z.enum(['buildinfo', 'runtime.buildVersion', 'none']),
  path: z.string().nullable(),
  main: GoModuleSchema.nullable(),
  deps: z.array(GoModuleSchema),
  settings: z.array(z.tuple([z.string(), z.string()])),
  buildMode: z.string().nullable(),
  isPlugin: z.boolean(),
});

export const MachOSliceSchema = z.object({
  arch: z.string(),
  offset: z.number(),
  size: z.number(),
  selected: z.boolean(),
});

export const LoadVerdictSchema = z.object({ ok: z.boolean(), reason: z.string().nullable() });

export const BinaryInfoSchema = z.object({
  path: z.string(),
  format: z.enum(['elf', 'macho', 'pe']),
  description: z.string(),
  bits: z.union([z.literal(32), z.literal(64)]),
  machine: z.string(),
  arch: z.string(),
  endian: z.enum(['little', 'big']),
  fileType: z.string(),
  os: z.string(),
  osAbi: z.string().nullable(),
  soname: z.string().nullable(),
  needed: z.array(z.string()),
  rpath: z.array(z.string()),
  runpath: z.array(z.string()),
  slices: z.array(MachOSliceSchema).nullable(),
  go: GoBuildInfoSchema.nullable(),
  hasDynamicSymbols: z.boolean(),
  loadable: LoadVerdictSchema,
});

// Compile-time proof that every schema and its engine type describe the same shape, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<_T extends true>(): void {}
same<Same<z.infer<typeof HttpRequestSchema>, HttpRequestShape>>();
same<Same<z.infer<typeof HttpResponseSchema>, HttpResponseShape>>();
same<Same<z.infer<typeof OutcomeSchema>, Outcome>>();
same<Same<z.infer<typeof LogLineSchema>, LogLine>>();
same<Same<z.infer<typeof StackFrameSchema>, StackFrame>>();
same<Same<z.infer<typeof PanicInfoSchema>, PanicInfo>>();
same<Same<z.infer<typeof CrashInfoSchema>, CrashInfo>>();
same<Same<z.infer<typeof CallInputSchema>, CallInput>>();
same<Same<z.infer<typeof CallResultSchema>, CallResult>>();
same<Same<z.infer<typeof HostStateSchema>, HostState>>();
same<Same<z.infer<typeof HandlerInfoSchema>, HandlerInfo>>();
same<Same<z.infer<typeof PluginManifestSchema>, PluginManifest>>();
same<Same<z.infer<typeof PluginDescriptionSchema>, PluginDescription>>();
same<Same<z.infer<typeof GoModuleSchema>, GoModule>>();
same<Same<z.infer<typeof GoBuildInfoSchema>, GoBuildInfo>>();
same<Same<z.infer<typeof MachOSliceSchema>, MachOSlice>>();
same<Same<z.infer<typeof LoadVerdictSchema>, LoadVerdict>>();
same<Same<z.infer<typeof BinaryInfoSchema>, BinaryInfo>>();
