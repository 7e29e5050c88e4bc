/**
 * The task view's keys for a pending request: `A` approves once, `Shift+A` approves for the
 * rest of the task, `D` opens the denial. Pure, so the rules that keep a request from being
 * approved by accident are tested without a browser.
 */
export type ApprovalShortcut = 'approve_once' | 'approve_task' | 'deny';

/** The parts of a KeyboardEvent that decide. */
export interface ShortcutKeyEvent {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** A held key repeats: one press is one decision, never a stream of them. */
  repeat: boolean;
  /** Mid-composition (IME): the key belongs to the text being composed. */
  isComposing: boolean;
}

/** The focused element, as far as typing is concerned. */
export interface ShortcutTarget {
  tagName: string;
  isContentEditable?: boolean;
  /** For inputs: their `type`. */
  type?: string;
}

/** Inputs that take no typed text: a letter pressed on them is not typing. */
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** True when a key pressed on `target` types text (or picks an option), so it is not a shortcut. */
export function isTypingTarget(target: ShortcutTarget | null): boolean {
  if (target === null) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  return false;
}

/**
 * Which decision a key press asks for, or null. Nothing while typing, with Ctrl/Cmd/Alt
 * (those are the app's and the browser's shortcuts), on key repeat, during composition, or
 * before the request is armed (it has been on screen for a moment: a key pressed as it
 * appears was meant for something else).
 */
export function approvalShortcutFor(
  event: ShortcutKeyEvent,
  context: { target: ShortcutTarget | null; isArmed: boolean; isInScope: boolean },
): ApprovalShortcut | null {
  if (!context.isArmed || !context.isInScope || event.repeat || event.isComposing) return null;
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTypingTarget(context.target)) return null;
  const key = event.key.toLowerCase();
  if (key === 'a') return event.shiftKey ? 'approve_task' : 'approve_once';
  if (key === 'd' && !event.shiftKey) return 'deny';
  return null;
}

/** 500 ms: about the time it takes to notice that something new appeared under the pointer. */
export const ARMING_DELAY_MS = 500;
