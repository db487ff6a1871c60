/** The main window's size, position and maximized state, remembered across launches. */
import { z } from 'zod';
import { readJson, writeJson } from './json-file.js';

const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A saved position is used only if it still overlaps a display (monitors come and go). */
export function visibleOn(state: WindowState, displays: Rect[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y, width } = state;
  const seen = displays.some(
    (d) => x + width > d.x + 50 && x < d.x + d.width - 50 && y >= d.y && y < d.y + d.height - 50,
  );
  return seen ? state : { width: state.width, height: state.height, maximized: state.maximized };
}

export function loadWindowState(file: string): WindowState {
  return readJson(file, WindowStateSchema, DEFAULT_WINDOW_STATE);
}

export function saveWindowState(file: string, state: WindowState): void {
  writeJson(file, state);
}
