import type { UiClient } from '../transport/uiClient.js';
import { activityOf, type ActivityLine } from './activity.js';
import { createKeyedThrottle, type TimerApi } from './keyedThrottle.js';

/**
 * The live activity line of each task, kept apart from the app store: it changes several
 * times a second per running task, and only that task's card should hear about it.
 * Subscriptions are per task id, so an update costs one card's render, not a board's.
 */
export interface ActivityStore {
  get(taskId: string): ActivityLine | undefined;
  set(taskId: string, line: ActivityLine): void;
  subscribe(taskId: string, listener: () => void): () => void;
}

export function createActivityStore(): ActivityStore {
  const lines = new Map<string, ActivityLine>();
  const listeners = new Map<string, Set<() => void>>();
  return {
    get: (taskId) => lines.get(taskId),
    set(taskId, line) {
      const current = lines.get(taskId);
      if (current && current.kind === line.kind && current.text === line.text) return;
      lines.set(taskId, line);
      for (const listener of listeners.get(taskId) ?? []) listener();
    },
    subscribe(taskId, listener) {
      let set = listeners.get(taskId);
      if (!set) {
        set = new Set();
        listeners.set(taskId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(taskId);
      };
    },
  };
}

/** 250 ms: at most 4 updates a second per card; faster than that nobody can read it anyway. */
export const ACTIVITY_INTERVAL_MS = 250;

/** Feeds the activity store from `tasks.onDidAppendEvent`, throttled per task. Returns a disposer. */
export function startActivity(client: UiClient, store: ActivityStore, timers?: TimerApi): () => void {
  const throttle = createKeyedThrottle<ActivityLine>({
    intervalMs: ACTIVITY_INTERVAL_MS,
    emit: (taskId, line) => store.set(taskId, line),
    ...(timers ? { timers } : {}),
  });
  const off = client.on('tasks.onDidAppendEvent', ({ event }) => {
    const line = activityOf(event.body);
    if (line) throttle.push(event.taskId, line);
  });
  // After a (re)load, cards show what their agents last did instead of a blank line.
  const seed = () => {
    client
      .invoke('tasks.recentActivity', {})
      .then(({ events }) => {
        for (const event of events) {
          const line = activityOf(event.body);
          if (line && store.get(event.taskId) === undefined) store.set(event.taskId, line);
        }
      })
      .catch(() => {
        // Not fatal: the next event fills the line.
      });
  };
  seed();
  const offConnection = client.onConnectionChange((status) => {
    if (status === 'connected') seed();
  });
  return () => {
    off();
    offConnection();
    throttle.dispose();
  };
}
