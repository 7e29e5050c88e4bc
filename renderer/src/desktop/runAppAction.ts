import type { AppAction } from '../../../shared/contracts/menuActions.js';
import type { AppStore } from '../state/appStore.js';
import { adjacentTaskId } from './taskNavigation.js';

/** What an action does to the page beyond the store: the DOM side, injected so the rules stay testable. */
export interface AppActionView {
  /** Brings the task's card into view and focuses it, after the board has re-rendered. */
  revealCard(taskId: string): void;
  /** Switches the open task view between its Terminal tab and the tab shown before; false when no task view is open. */
  toggleTerminal(): boolean;
}

/**
 * Runs one app action, whether it came from a keyboard shortcut or from the desktop app's menu
 * (the same function for both: see useGlobalShortcuts). Nothing happens while a dialog other
 * than the palette is open, so a half-written prompt is never thrown away by a stray shortcut;
 * the palette itself gives way to what was asked.
 */
export function runAppAction(store: AppStore, action: AppAction, view: AppActionView): void {
  const state = store.getState();
  const isBusy = state.taskDialog !== null || (state.dialog !== null && state.dialog !== 'palette');
  if (isBusy) return;
  switch (action.kind) {
    case 'commandPalette':
      if (state.dialog === 'palette') state.closeDialog();
      else state.openDialog('palette');
      return;
    case 'newTask':
      state.openDialog('newTask');
      return;
    case 'settings':
      state.openDialog('settings');
      return;
    case 'nextTask':
    case 'previousTask': {
      const id = adjacentTaskId(state, action.kind === 'nextTask' ? 1 : -1);
      if (id !== null) openTask(store, id, view);
      return;
    }
    case 'openTask':
      // A notification about a task the board no longer has (discarded since) opens nothing.
      if (state.tasks[action.taskId]) openTask(store, action.taskId, view);
      return;
    case 'toggleTerminal':
      if (state.dialog === 'palette') state.closeDialog();
      if (!view.toggleTerminal()) state.showToast('Open a task first: each terminal belongs to a task');
      return;
  }
}

function openTask(store: AppStore, taskId: string, view: AppActionView): void {
  const state = store.getState();
  if (state.dialog === 'palette') state.closeDialog();
  state.openTask(taskId);
  view.revealCard(taskId);
}
