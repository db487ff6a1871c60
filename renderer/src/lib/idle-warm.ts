/** Browser-only helpers of the symbol list (kept apart so symbol-search.ts stays plain TypeScript). */
import { lowerNames, type SymbolRow } from './symbol-search.js';

/** Lower-cases every name in small slices of idle time, so the first keystroke does not pay for it. */
export function warmLowerNames(rows: readonly SymbolRow[]): () => void {
  let i = 0;
  let handle = 0;
  const step = (deadline: IdleDeadline) => {
    while (i < rows.length && deadline.timeRemaining() > 1) {
      const end = Math.min(rows.length, i + 500);
      for (; i < end; i++) lowerNames(rows[i]!);
    }
    if (i < rows.length) handle = requestIdleCallback(step);
  };
  handle = requestIdleCallback(step);
  return () => cancelIdleCallback(handle);
}
