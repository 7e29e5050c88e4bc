import type { AttentionDeps } from './startAttention.js';

/**
 * The DOM side of `startAttention`: the Notification API (Electron shows the same one as
 * a native notification), the window title, and focus. Permission is asked on the first
 * click or key press, never at load: browsers ignore (and users resent) a prompt out of nowhere.
 */
export function createBrowserAttention(win: Window, onOpenTask: (taskId: string) => void): AttentionDeps & { dispose(): void } {
  // Missing in some embedded browsers; notifications are then simply not shown.
  const api = typeof Notification === 'function' ? Notification : null;
  const ask = () => {
    dispose();
    if (api?.permission === 'default') void api.requestPermission().catch(() => undefined);
  };
  const dispose = () => {
    win.removeEventListener('pointerdown', ask, true);
    win.removeEventListener('keydown', ask, true);
  };
  if (api?.permission === 'default') {
    win.addEventListener('pointerdown', ask, true);
    win.addEventListener('keydown', ask, true);
  }
  return {
    show(content) {
      if (api?.permission !== 'granted') return;
      const notification = new api(content.title, { body: content.body, tag: content.tag });
      notification.onclick = () => {
        win.focus();
        if (content.taskId !== null) onOpenTask(content.taskId);
        notification.close();
      };
    },
    isAway: () => win.document.visibilityState === 'hidden' || !win.document.hasFocus(),
    setTitle: (title) => {
      win.document.title = title;
    },
    dispose,
  };
}
