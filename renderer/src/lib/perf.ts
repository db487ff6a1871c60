/**
 * User Timing marks the UI benchmark (test/bench/ui.ts) reads. A mark "after paint" is set in a
 * task queued from requestAnimationFrame: that task runs once the frame has been painted.
 */
export function markAfterPaint(name: string, detail?: unknown): void {
  requestAnimationFrame(() => setTimeout(() => performance.mark(name, { detail }), 0));
}
