import type { AppStore } from './appStore.js';
import type { TimerApi } from './keyedThrottle.js';
import { createNotificationBatcher, documentTitleFor, tasksNeedingAttention, type NotificationContent } from './notifications.js';
import { selectNeedsYouCount } from './selectors.js';

export interface AttentionDeps {
  /** Shows one system notification. */
  show(content: NotificationContent): void;
  /**
   * True when the user is not looking at the app. Notifications are for then: someone
   * watching the board sees the card move, and a popup on top of it is only noise.
   */
  isAway(): boolean;
  setTitle(title: string): void;
  timers?: TimerApi;
}

/**
 * Tells the user when tasks need them: the window title carries the Needs you count, and a
 * task entering Needs you or Review makes a (batched) notification while they are away.
 * Returns a disposer.
 */
export function startAttention(store: AppStore, deps: AttentionDeps): () => void {
  const batcher = createNotificationBatcher({ show: deps.show, ...(deps.timers ? { timers: deps.timers } : {}) });
  let title = '';
  const updateTitle = () => {
    const next = documentTitleFor(selectNeedsYouCount(store.getState()));
    if (next !== title) deps.setTitle((title = next));
  };
  updateTitle();
  const off = store.subscribe((state, previous) => {
    if (state.tasks === previous.tasks) return;
    updateTitle();
    const items = tasksNeedingAttention(previous.tasks, state.tasks);
    if (items.length > 0 && deps.isAway()) batcher.add(items);
  });
  return () => {
    off();
    batcher.dispose();
  };
}
