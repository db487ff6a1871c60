import fs from 'node:fs';
import path from 'node:path';

export type FileChange = 'changed' | 'removed';

export interface FileWatcher {
  close(): void;
}

interface Stamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

function stamp(file: string): Stamp | null {
  try {
    const s = fs.statSync(file);
    return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}

/**
 * Watches one file for rebuilds. The parent folder is watched rather than the file: linkers and
 * `go build` often write a new file and rename it over the old one, which a watch on the old inode
 * would miss. Bursts of events (a linker writes in many chunks) are debounced, and the callback runs
 * only when the file's identity, size or mtime really changed.
 */
export function watchFile(
  file: string,
  onChange: (change: FileChange) => void,
  debounceMs = 300,
): FileWatcher {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let last = stamp(file);
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const settle = () => {
    timer = null;
    if (closed) return;
    const now = stamp(file);
    if (now === null) {
      if (last !== null) {
        last = null;
        onChange('removed');
      }
      return;
    }
    if (last && now.ino === last.ino && now.size === last.size && now.mtimeMs === last.mtimeMs) return;
    last = now;
    onChange('changed');
  };

  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
      if (name !== null && name.toString() !== base) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(settle, debounceMs);
    });
    // A watched folder that disappears is not worth crashing the studio over.
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = null;
  }

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}

/**
 * Watches a folder's contents (fixtures edited in another editor, a `git checkout`): one callback
 * per burst of changes. Returns null when the folder does not exist (yet).
 */
export function watchFolder(dir: string, onChange: () => void, debounceMs = 300): FileWatcher | null {
  let timer: NodeJS.Timeout | null = null;
  let watcher: fs.FSWatcher;
  try {
    watcher = fs.watch(dir, { persistent: false, recursive: true }, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        onChange();
      }, debounceMs);
    });
  } catch {
    return null;
  }
  watcher.on('error', () => watcher.close());
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
