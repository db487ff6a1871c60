import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/** Reads a small settings file; a missing or damaged file gives the default (settings are never worth a crash). */
export function readJson<T>(file: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** Writes by rename, so a crash mid-write leaves the previous settings intact. */
export function writeJson(file: string, value: unknown): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(value, null, 2));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only profile folder loses the settings, not the session.
  }
}
