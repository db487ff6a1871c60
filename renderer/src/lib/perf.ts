/**
 * User Timing marks the UI benchmark (test/bench/ui.ts) reads. A mark "after paint" is set in a
 * task queued from requestAnimationFrame: that task runs once the frame has been painted. The
 * frame's start is marked too (`NAME:frame`), so the benchmark can tell waiting for the frame from
 * the frame's own work.
 */
export function markAfterPaint(name: string, detail?: unknown): void {
  requestAnimationFrame(() => {
    performance.mark(`${name}:frame`, { detail });
    setTimeout(() => performance.mark(name, { detail }), 0);
  });
}
