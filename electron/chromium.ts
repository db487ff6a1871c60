/**
 * Chromium switches of the studio window, in a plain module (no runtime import of Electron) so
 * that tests and the UI benchmark can launch Chromium the way the app configures its renderer.
 */

/**
 * DeferRendererTasksAfterInput: after a click or key press, Chromium holds the page's other tasks
 * back until the next frame is drawn, the delivery of network and IPC messages among them. A Run's
 * result arrives as such a message, so it waited for that frame and its DOM change for the frame
 * after: about 33 ms at 60 Hz from click to result, where one frame suffices. Measured in
 * test/bench/ui.ts (browser mode, Chromium 156): the UI's own time on a Run 17.1 -> 13.0 ms at p50,
 * a bare WebSocket echo 14.0 -> 0.8 ms, a search keystroke to the list painted 29.5 -> 14.4 ms.
 */
export const DISABLED_CHROMIUM_FEATURES: readonly string[] = ['DeferRendererTasksAfterInput'];

/** [switch, value] pairs for app.commandLine.appendSwitch, set before the app is ready. */
export function chromiumSwitches(): [string, string][] {
  return [['disable-features', DISABLED_CHROMIUM_FEATURES.join(',')]];
}

/** A comma-separated switch value (a feature list) with `value` added, unless it is there already. */
export function withListValue(given: string, value: string): string {
  const items = given.split(',').filter(Boolean);
  for (const v of value.split(',')) if (!items.includes(v)) items.push(v);
  return items.join(',');
}

/** The same switches as command-line arguments of a Chromium launched as the studio's renderer. */
export function chromiumArgs(): string[] {
  return chromiumSwitches().map(([name, value]) => `--${name}=${value}`);
}
