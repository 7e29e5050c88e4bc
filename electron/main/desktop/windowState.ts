import path from 'node:path';
import { z } from 'zod';
import type { DesktopWindow, Display, Rectangle } from './desktopElectron.js';
import { DebouncedJsonFile, readJsonFile } from './jsonFile.js';
import type { TimerApi } from './timers.js';

export const WINDOW_STATE_FILE = 'window-state.json';
/** 500 ms: a drag or resize sends dozens of events a second; one write after it ends is enough. */
export const SAVE_DELAY_MS = 500;
/** 720×480 px: the window's minimum size (main.ts), below which the board does not fit. */
const MIN_SIZE = { width: 720, height: 480 };

const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  isMaximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export function windowStateFile(home: string): string {
  return path.join(home, WINDOW_STATE_FILE);
}

/** The saved state, or null when there is none or it is not ours (then the window opens as main.ts sizes it). */
export function loadWindowState(home: string): WindowState | null {
  const parsed = WindowStateSchema.safeParse(readJsonFile(windowStateFile(home)));
  return parsed.success ? parsed.data : null;
}

function overlapArea(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}

/**
 * Where to put a saved window: on the display it overlaps most, wholly inside that display's work
 * area (shrunk to fit it, moved in from its edges). A window whose display is gone (an unplugged
 * monitor) opens centred on the primary display, never off screen where it cannot be dragged back.
 */
export function visibleBounds(saved: Rectangle, displays: readonly Display[], primary: Display): Rectangle {
  let best: Display | null = null;
  let bestArea = 0;
  for (const display of displays) {
    const area = overlapArea(saved, display.workArea);
    if (area > bestArea) {
      best = display;
      bestArea = area;
    }
  }
  const area = (best ?? primary).workArea;
  const width = Math.min(Math.max(saved.width, Math.min(MIN_SIZE.width, area.width)), area.width);
  const height = Math.min(Math.max(saved.height, Math.min(MIN_SIZE.height, area.height)), area.height);
  if (best === null) {
    return { x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2), width, height };
  }
  return { x: clamp(saved.x, area.x, area.x + area.width - width), y: clamp(saved.y, area.y, area.y + area.height - height), width, height };
}

/** Puts a new window where the saved state says, before it is first shown. */
export function restoreWindowState(window: DesktopWindow, saved: WindowState, screen: { getAllDisplays(): Display[]; getPrimaryDisplay(): Display }): void {
  window.setBounds(visibleBounds(saved, screen.getAllDisplays(), screen.getPrimaryDisplay()));
  // Maximized once it is ready: maximizing a hidden window shows it early on some platforms.
  // Full screen is not restored (a surprise when a laptop opens); the size under it is.
  if (saved.isMaximized) {
    window.once('ready-to-show', () => {
      if (!window.isDestroyed()) window.maximize();
    });
  }
}

/**
 * Saves the window's size and position as the user changes them (debounced), and once more as it
 * closes. The normal bounds (not those of full screen) are saved even while maximized, so un-maximizing after a restart
 * returns to the size the user chose. Returns a function that saves what is pending.
 */
export function trackWindowState(
  window: DesktopWindow,
  home: string,
  options: { timers?: TimerApi; onSnapshot?: (state: WindowState) => void } = {},
): () => Promise<void> {
  const file = new DebouncedJsonFile(windowStateFile(home), SAVE_DELAY_MS, options.timers);
  const snapshot = (): WindowState => {
    const bounds = window.getNormalBounds();
    return {
      x: Math.round(bounds.x),
      y: Math.round(bounds.y),
      width: Math.round(bounds.width),
      height: Math.round(bounds.height),
      isMaximized: window.isMaximized(),
    };
  };
  const onChange = () => {
    if (window.isDestroyed()) return;
    const state = snapshot();
    options.onSnapshot?.(state);
    file.schedule(state);
  };
  window.on('resize', onChange);
  window.on('move', onChange);
  window.on('maximize', onChange);
  window.on('unmaximize', onChange);
  window.on('close', () => {
    onChange();
    void file.flush();
  });
  return () => file.flush();
}
