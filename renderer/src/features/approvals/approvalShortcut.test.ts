import { describe, expect, it } from 'vitest';
import { approvalShortcutFor, isTypingTarget, type ShortcutKeyEvent } from './approvalShortcut.js';

const press = (key: string, more: Partial<ShortcutKeyEvent> = {}): ShortcutKeyEvent => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  repeat: false,
  isComposing: false,
  ...more,
});
const onButton = { target: { tagName: 'BUTTON' }, isArmed: true, isInScope: true };

describe('approvalShortcutFor', () => {
  it('A approves once, Shift+A for the task, D opens the denial', () => {
    expect(approvalShortcutFor(press('a'), onButton)).toBe('approve_once');
    expect(approvalShortcutFor(press('A', { shiftKey: true }), onButton)).toBe('approve_task');
    expect(approvalShortcutFor(press('d'), onButton)).toBe('deny');
    expect(approvalShortcutFor(press('x'), onButton)).toBeNull();
    expect(approvalShortcutFor(press('D', { shiftKey: true }), onButton)).toBeNull();
  });

  it('with Caps Lock, a plain A is still only "once"', () => {
    expect(approvalShortcutFor(press('A'), onButton)).toBe('approve_once');
  });

  it('never fires while typing in a field', () => {
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT' },
      { tagName: 'input', type: 'search' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      expect(approvalShortcutFor(press('a'), { ...onButton, target })).toBeNull();
    }
    // A checkbox takes no text: the key is free.
    expect(approvalShortcutFor(press('a'), { ...onButton, target: { tagName: 'INPUT', type: 'checkbox' } })).toBe('approve_once');
    expect(approvalShortcutFor(press('a'), { ...onButton, target: null })).toBe('approve_once');
  });

  it('never fires with Ctrl, Cmd or Alt, on key repeat, or during composition', () => {
    for (const more of [{ ctrlKey: true }, { metaKey: true }, { altKey: true }, { repeat: true }, { isComposing: true }]) {
      expect(approvalShortcutFor(press('a', more), onButton)).toBeNull();
    }
  });

  it('never fires before the request is armed, or for a key meant for something else', () => {
    expect(approvalShortcutFor(press('a'), { ...onButton, isArmed: false })).toBeNull();
    expect(approvalShortcutFor(press('a'), { ...onButton, isInScope: false })).toBeNull();
  });
});

describe('isTypingTarget', () => {
  it('knows text fields from buttons', () => {
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'email' })).toBe(true);
    expect(isTypingTarget(null)).toBe(false);
  });
});
