/**
 * Chromium switches of the studio window, in a plain module (no runtime import of Electron) so
 * that tests and the UI benchmark can launch Chromium the way the app configures its renderer.
 */

/**
 * DeferRendererTasksAfterInput: after a click or key press, Chromium holds the page's other tasks
 * back until the next frame is drawn, IPC and WebSocket messages among them. A Run's result
 * arrives as such a message, so it waited for that frame and its DOM change for the frame after:
 * about 33 ms at 60 Hz from click to result, where one frame suffices (measured in
 * test/bench/ui.ts: the UI's own time 16.9 -> 13.0 ms at p50, a bare echo 14 -> 0.8 ms).
 */
export const DISABLED_CHROMIUM_FEATURES: readonly string[] = ['DeferRendererTasksAfterInput'];

/** [switch, value] pairs for app.commandLine.appendSwitch, set before the app is ready. */
export function chromiumSwitches(): [string, string][] {
  return [['disable-features', DISABLED_CHROMIUM_FEATURES.join(',')]];
}

/** The same switches as command-line arguments of a Chromium launched as the studio's renderer. */
export function chromiumArgs(): string[] {
  return chromiumSwitches().map(([name, value]) => `--${name}=${value}`);
}
