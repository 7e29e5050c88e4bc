/**
 * The app-wide actions a user reaches by keyboard shortcut (the web UI) and by the application
 * menu (the desktop app): one table, so the menu shows the accelerators the page answers to and
 * both run the same code in the renderer (renderer/src/desktop/runAppAction.ts).
 *
 * Accelerators are written in Electron's syntax (`CmdOrCtrl+K`); the renderer matches key
 * events against the same strings with `matchesAccelerator`.
 */

export const MENU_ACTIONS = ['newTask', 'commandPalette', 'nextTask', 'previousTask', 'toggleTerminal', 'settings'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

export interface MenuActionSpec {
  /** The menu item's label; also what the shortcut does, in words. */
  label: string;
  accelerator: string;
}

export const MENU_ACTION_SPECS: Record<MenuAction, MenuActionSpec> = {
  newTask: { label: 'New Task…', accelerator: 'CmdOrCtrl+N' },
  commandPalette: { label: 'Command Palette…', accelerator: 'CmdOrCtrl+K' },
  // Alt+arrows, as chat apps switch conversations: free in browsers (unlike Ctrl+Tab or
  // Ctrl+PageDown, which switch the browser's tabs) and in every desktop's window manager.
  nextTask: { label: 'Next Task', accelerator: 'Alt+Down' },
  previousTask: { label: 'Previous Task', accelerator: 'Alt+Up' },
  // Ctrl+`: the terminal shortcut of VS Code and most editors.
  toggleTerminal: { label: 'Toggle Terminal', accelerator: 'CmdOrCtrl+`' },
  // Cmd+, is every macOS app's Settings; Ctrl+, follows it elsewhere, as in VS Code.
  settings: { label: 'Settings…', accelerator: 'CmdOrCtrl+,' },
};

/**
 * What the desktop shell asks the page to do: a menu action, or opening one task (a click on a
 * desktop notification). Sent on `APP_ACTION_CHANNEL`, parsed again by the page with `parseAppAction`.
 */
export type AppAction = { kind: MenuAction } | { kind: 'openTask'; taskId: string };

/** main → preload: one `AppAction`; the preload keeps a copy of this name (preload.test.ts checks it). */
export const APP_ACTION_CHANNEL = 'flotilla:app-action';

export function isMenuAction(value: unknown): value is MenuAction {
  return typeof value === 'string' && (MENU_ACTIONS as readonly string[]).includes(value);
}

/** 200 chars: far longer than any task id; a longer one is not ours. */
const MAX_TASK_ID = 200;

export function parseAppAction(value: unknown): AppAction | null {
  if (typeof value !== 'object' || value === null) return null;
  const { kind, taskId } = value as { kind?: unknown; taskId?: unknown };
  if (isMenuAction(kind)) return { kind };
  if (kind === 'openTask' && typeof taskId === 'string' && taskId !== '' && taskId.length <= MAX_TASK_ID) return { kind, taskId };
  return null;
}

/** The parts of a keydown event a shortcut depends on (a DOM KeyboardEvent has them all). */
export interface KeyChord {
  key: string;
  /** The physical key, for punctuation whose `key` depends on the layout. */
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Accelerator key names whose DOM `key` differs, and the physical `code` that also matches. */
const KEY_ALIASES: Record<string, { key: string; code: string }> = {
  up: { key: 'arrowup', code: 'ArrowUp' },
  down: { key: 'arrowdown', code: 'ArrowDown' },
  ',': { key: ',', code: 'Comma' },
  '`': { key: '`', code: 'Backquote' },
};

/**
 * True when the chord is the accelerator. `CmdOrCtrl` accepts either key on every platform (the
 * page cannot be sure which one the user's keyboard calls Command); Alt and Shift must match
 * exactly, so Ctrl+Shift+K is not Ctrl+K.
 */
export function matchesAccelerator(accelerator: string, chord: KeyChord): boolean {
  const parts = accelerator.split('+');
  const keyName = (parts.pop() ?? '').toLowerCase();
  const modifiers = new Set(parts.map((part) => part.toLowerCase()));
  const wantsCommand = modifiers.has('cmdorctrl') || modifiers.has('commandorcontrol');
  if (wantsCommand !== (chord.ctrlKey || chord.metaKey)) return false;
  if (modifiers.has('alt') !== chord.altKey || modifiers.has('shift') !== chord.shiftKey) return false;
  const alias = KEY_ALIASES[keyName];
  if (alias) return chord.key.toLowerCase() === alias.key || chord.code === alias.code;
  return chord.key.toLowerCase() === keyName;
}

/** 'CmdOrCtrl+N' → 'Ctrl+N', 'Alt+Down' → 'Alt+↓': how the page writes a shortcut beside what it does. */
export function shortcutText(accelerator: string): string {
  const names: Record<string, string> = { CmdOrCtrl: 'Ctrl', CommandOrControl: 'Ctrl', Up: '↑', Down: '↓' };
  return accelerator
    .split('+')
    .map((part) => names[part] ?? part)
    .join('+');
}

/** The menu action a key chord triggers, if any. */
export function menuActionForChord(chord: KeyChord): MenuAction | null {
  return MENU_ACTIONS.find((action) => matchesAccelerator(MENU_ACTION_SPECS[action].accelerator, chord)) ?? null;
}
