import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import { activityOf, type ActivityLine } from '../../state/activity.js';
import { createActivityStore, type ActivityStore } from '../../state/activityStore.js';

/**
 * The replayed cards' activity lines ("$ npm test" under a running task), fed from the replayed
 * events instead of the host: the live store's kind, plus a way to go back in time.
 */
export interface ReplayActivity extends ActivityStore {
  /** Plays `events` forwards: each task's line becomes its newest activity among them. */
  advance(events: readonly TaskEvent[]): void;
  /** Every line as of the end of `events` (a seek): a task with no activity there shows none. */
  rebuild(events: readonly TaskEvent[]): void;
}

/** What a running card says before its agent did anything (CardActivity's own words). */
const NO_ACTIVITY: ActivityLine = { kind: 'message', text: 'Working…' };

function newestLines(events: readonly TaskEvent[]): Map<string, ActivityLine> {
  const found = new Map<string, ActivityLine>();
  for (const event of events) {
    const line = activityOf(event.body);
    if (line) found.set(event.taskId, line);
  }
  return found;
}

export function createReplayActivity(): ReplayActivity {
  const store = createActivityStore();
  const shown = new Set<string>();
  const set = (taskId: string, line: ActivityLine) => {
    shown.add(taskId);
    store.set(taskId, line);
  };
  return {
    get: store.get,
    subscribe: store.subscribe,
    set,
    advance(events) {
      for (const [taskId, line] of newestLines(events)) set(taskId, line);
    },
    rebuild(events) {
      const found = newestLines(events);
      // The live store never forgets a line; what a task had not done yet reads as no activity.
      for (const taskId of shown) if (!found.has(taskId)) set(taskId, NO_ACTIVITY);
      for (const [taskId, line] of found) set(taskId, line);
    },
  };
}
