/**
 * Sorts symbol rows in a worker when the list is large (a main-thread sort of 100,000 names blocks
 * typing and scrolling for a few hundred ms); small lists, or a worker that fails, sort in place.
 */
import { sortRows, type SymbolRow } from './symbol-search.js';

const WORKER_FROM = 5000;
let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (order: Int32Array | null) => void>();

function sortWorker(): Worker | null {
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./sort-worker.ts', import.meta.url), {
      type: 'module',
      name: 'symbol-sort',
    });
  } catch {
    return null;
  }
  worker.onmessage = (e: MessageEvent<{ id: number; order: Int32Array }>) => {
    waiting.get(e.data.id)?.(e.data.order);
    waiting.delete(e.data.id);
  };
  worker.onerror = () => {
    for (const done of waiting.values()) done(null);
    waiting.clear();
    worker = null;
  };
  return worker;
}

export async function sortRowsOffThread(rows: SymbolRow[]): Promise<SymbolRow[]> {
  const w = rows.length >= WORKER_FROM ? sortWorker() : null;
  if (!w) return sortRows(rows);
  const id = nextId++;
  const display = rows.map((r) => r.display);
  const group = Uint8Array.from(rows, (r) => r.group);
  const order = await new Promise<Int32Array | null>((resolve) => {
    waiting.set(id, resolve);
    w.postMessage({ id, display, group });
  });
  if (!order) return sortRows(rows);
  return Array.from(order, (i) => rows[i]!);
}
