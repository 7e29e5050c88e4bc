import { describe, expect, it } from 'vitest';
import { MENU_ACTION_SPECS, MENU_ACTIONS, matchesAccelerator, menuActionForChord, parseAppAction, shortcutText, type KeyChord } from './menuActions.js';

function chord(key: string, modifiers: Partial<KeyChord> = {}): KeyChord {
  return { key, code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...modifiers };
}

describe('the page’s shortcuts are the menu’s accelerators', () => {
  it('maps each chord to its action, with Ctrl or Cmd alike', () => {
    expect(menuActionForChord(chord('k', { ctrlKey: true }))).toBe('commandPalette');
    expect(menuActionForChord(chord('K', { metaKey: true }))).toBe('commandPalette');
    expect(menuActionForChord(chord('n', { ctrlKey: true }))).toBe('newTask');
    expect(menuActionForChord(chord('ArrowDown', { altKey: true }))).toBe('nextTask');
    expect(menuActionForChord(chord('ArrowUp', { altKey: true }))).toBe('previousTask');
    expect(menuActionForChord(chord(',', { metaKey: true }))).toBe('settings');
    expect(menuActionForChord(chord('`', { ctrlKey: true }))).toBe('toggleTerminal');
  });

  it('matches punctuation by its physical key on layouts where it types something else', () => {
    // A German layout: the key left of 1 types ^; Ctrl+, is Ctrl+, everywhere but its key may differ.
    expect(menuActionForChord(chord('^', { ctrlKey: true, code: 'Backquote' }))).toBe('toggleTerminal');
  });

  it('ignores chords with extra or missing modifiers, and plain typing', () => {
    expect(menuActionForChord(chord('k', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(menuActionForChord(chord('k', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(menuActionForChord(chord('k'))).toBeNull();
    expect(menuActionForChord(chord('ArrowDown'))).toBeNull();
    expect(menuActionForChord(chord('ArrowDown', { altKey: true, ctrlKey: true }))).toBeNull();
  });

  it('has one chord per action', () => {
    for (const action of MENU_ACTIONS) {
      const spec = MENU_ACTION_SPECS[action];
      const others = MENU_ACTIONS.filter((other) => other !== action && MENU_ACTION_SPECS[other].accelerator === spec.accelerator);
      expect(others).toEqual([]);
    }
    expect(matchesAccelerator('CmdOrCtrl+N', chord('n', { metaKey: true }))).toBe(true);
  });
});

describe('how the page writes a shortcut', () => {
  it('as a Windows or Linux user presses it, arrows as arrows', () => {
    expect(shortcutText(MENU_ACTION_SPECS.newTask.accelerator)).toBe('Ctrl+N');
    expect(shortcutText(MENU_ACTION_SPECS.settings.accelerator)).toBe('Ctrl+,');
    expect(shortcutText(MENU_ACTION_SPECS.nextTask.accelerator)).toBe('Alt+↓');
  });
});

describe('app actions from the desktop shell', () => {
  it('are read back only when well formed', () => {
    expect(parseAppAction({ kind: 'nextTask' })).toEqual({ kind: 'nextTask' });
    expect(parseAppAction({ kind: 'openTask', taskId: 't1' })).toEqual({ kind: 'openTask', taskId: 't1' });
    expect(parseAppAction({ kind: 'openTask' })).toBeNull();
    expect(parseAppAction({ kind: 'openTask', taskId: 'x'.repeat(500) })).toBeNull();
    expect(parseAppAction({ kind: 'eval' })).toBeNull();
    expect(parseAppAction('newTask')).toBeNull();
    expect(parseAppAction(null)).toBeNull();
  });
});
