/** The Open Recent list: most recent first, no duplicates, files that vanished dropped. */
import fs from 'node:fs';
import { z } from 'zod';
import { readJson, writeJson } from './json-file.js';

export const MAX_RECENT = 10;

export class RecentPlugins {
  private list: string[];

  constructor(private readonly file: string) {
    this.list = readJson(file, z.array(z.string()), []).slice(0, MAX_RECENT);
  }

  get items(): string[] {
    return this.list.filter((p) => fs.existsSync(p));
  }

  add(path: string): void {
    this.list = [path, ...this.list.filter((p) => p !== path)].slice(0, MAX_RECENT);
    writeJson(this.file, this.list);
  }

  clear(): void {
    this.list = [];
    writeJson(this.file, this.list);
  }
}
