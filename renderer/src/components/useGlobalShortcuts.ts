import { useEffect } from 'react';
import type { AppStore } from '../state/appStore.js';

/**
 * Ctrl/Cmd+K: command palette (again: closes it). Ctrl/Cmd+N: new task. Both work from
 * anywhere, including text fields, like in editors; not while another dialog is open, so a
 * half-written prompt is never thrown away by a stray shortcut.
 */
export function useGlobalShortcuts(store: AppStore): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const key = event.key.toLowerCase();
      if (key !== 'k' && key !== 'n') return;
      const state = store.getState();
      const isBusy = state.taskDialog !== null || (state.dialog !== null && state.dialog !== 'palette');
      event.preventDefault();
      if (isBusy) return;
      if (key === 'k') {
        if (state.dialog === 'palette') state.closeDialog();
        else state.openDialog('palette');
      } else {
        state.openDialog('newTask');
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
