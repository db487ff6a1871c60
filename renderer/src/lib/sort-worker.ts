/// <reference lib="webworker" />
/**
 * Sorts a large symbol list off the main thread: the UI stays responsive while 100,000 names are
 * ordered. Receives the display names and groups, answers with the order (transferred, not copied).
 */
import { sortOrder } from './sort-order.js';

interface SortRequest {
  id: number;
  display: string[];
  group: Uint8Array;
}

self.onmessage = (e: MessageEvent<SortRequest>) => {
  const order = sortOrder(e.data.display, e.data.group);
  (self as unknown as Worker).postMessage({ id: e.data.id, order }, [order.buffer]);
};
