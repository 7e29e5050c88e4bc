import type { AppActionView } from './runAppAction.js';

/** The task view's tab ids end so (components/TabList.tsx `tabIds`). */
const TERMINAL_TAB = '.task-view [role="tab"][id$="-tab-terminal"]';
const SELECTED_TAB = '.task-view [role="tab"][aria-selected="true"]';

/**
 * The page side of app actions, through what the user sees (the board's cards, the task view's
 * tabs) rather than component internals: the tab a task view shows is its own state.
 */
export function createDomAppActionView(doc: Document, win: Window): AppActionView {
  // The tab to go back to when the terminal is toggled away; by id, so it survives re-renders.
  let tabBeforeTerminal: string | null = null;
  return {
    revealCard(taskId) {
      // After the board re-renders: the card may only now be in the DOM.
      win.requestAnimationFrame(() => {
        const card = doc.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(taskId)}"] .card-open`);
        card?.scrollIntoView({ block: 'nearest' });
        card?.focus({ preventScroll: true });
      });
    },
    toggleTerminal() {
      const terminal = doc.querySelector<HTMLElement>(TERMINAL_TAB);
      if (!terminal) return false;
      const selected = doc.querySelector<HTMLElement>(SELECTED_TAB);
      let target = terminal;
      if (selected === terminal) {
        const before = tabBeforeTerminal === null ? null : doc.getElementById(tabBeforeTerminal);
        target = before ?? doc.querySelector<HTMLElement>('.task-view [role="tab"]') ?? terminal;
      } else {
        tabBeforeTerminal = selected?.id ?? null;
      }
      target.click();
      target.focus();
      return true;
    },
  };
}
