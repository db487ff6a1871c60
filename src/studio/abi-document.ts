import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/errors.js';
import { packageRoot } from './paths.js';

/**
 * Where the native handler ABI is looked for: shipped docs first, then the shared folder the
 * repository is developed beside.
 */
export function abiDocumentCandidates(): string[] {
  const root = packageRoot();
  return [
    path.join(root, 'docs', 'ABI.md'),
    path.join(root, 'sdk', 'ABI.md'),
    path.join(root, 'shared', 'ABI.md'),
    path.join(root, '..', 'shared', 'ABI.md'),
  ];
}

export async function readAbiDocument(
  candidates = abiDocumentCandidates(),
): Promise<{ title: string; markdown: string }> {
  for (const file of candidates) {
    try {
      const markdown = await fs.readFile(file, 'utf8');
      const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? 'Plugin Studio native handler ABI';
      return { title, markdown };
    } catch {
      // try the next place
    }
  }
  throw new ApiError('unavailable', 'The ABI document is not part of this installation.');
}
