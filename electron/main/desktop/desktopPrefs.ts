import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFileAtomically } from './jsonFile.js';

/**
 * Preferences of the desktop shell only (the host's settings are for every client; a tray icon
 * means nothing to a browser): `FLOTILLA_HOME/desktop.json`.
 */
export const DESKTOP_PREFS_FILE = 'desktop.json';

const DesktopPrefsSchema = z.object({
  /** Off by default: the dock or taskbar badge already shows what needs the user. */
  showTray: z.boolean().default(false),
});
export type DesktopPrefs = z.infer<typeof DesktopPrefsSchema>;

export function desktopPrefsFile(home: string): string {
  return path.join(home, DESKTOP_PREFS_FILE);
}

export function loadDesktopPrefs(home: string): DesktopPrefs {
  const parsed = DesktopPrefsSchema.safeParse(readJsonFile(desktopPrefsFile(home)) ?? {});
  return parsed.success ? parsed.data : DesktopPrefsSchema.parse({});
}

export function saveDesktopPrefs(home: string, prefs: DesktopPrefs): Promise<void> {
  return writeJsonFileAtomically(desktopPrefsFile(home), prefs);
}
