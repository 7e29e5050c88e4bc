import { useEffect } from 'react';
import { menuActionForChord } from '../../../shared/contracts/menuActions.js';
import type { AppStore } from '../state/appStore.js';
import { onDesktopAppAction } from '../desktop/desktopBridge.js';
import { createDomAppActionView } from '../desktop/domAppActionView.js';
import { runAppAction } from '../desktop/runAppAction.js';

/**
 * The app's shortcuts (shared/contracts/menuActions.ts: Ctrl/Cmd+K palette, Ctrl/Cmd+N new
 * task, Alt+↓/↑ next/previous task, Ctrl/Cmd+` terminal, Ctrl/Cmd+, settings) and, in the
 * desktop app, the same actions chosen from its menu: both go through `runAppAction`. The keys
 * work from anywhere, text fields included, like in editors. A matched key is always taken
 * (preventDefault), even when a dialog makes it do nothing: in the desktop app that is also
 * what keeps the menu from running it a second time (Electron gives the menu only the keys the
 * page did not take).
 */
export function useGlobalShortcuts(store: AppStore): void {
  useEffect(() => {
    const view = createDomAppActionView(document, window);
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      // Alt+↓ opens a focused <select> on Windows and Linux: the list's own key, not Next task.
      if (event.altKey && event.target instanceof HTMLSelectElement) return;
      const action = menuActionForChord(event);
      if (action === null) return;
      event.preventDefault();
      runAppAction(store, { kind: action }, view);
    };
    window.addEventListener('keydown', onKeyDown);
    const offDesktop = onDesktopAppAction(window, (action) => runAppAction(store, action, view));
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      offDesktop();
    };
  }, [store]);
}
