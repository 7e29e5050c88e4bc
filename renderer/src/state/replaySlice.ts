import type { StateCreator } from 'zustand/vanilla';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import { applyTaskEvent } from '../../../shared/model/taskFold.js';
import type { AppState } from './appStore.js';
import { NO_TASKS, type TasksById } from './tasksModel.js';

/**
 * Where a store's tasks come from. `live`: the host's snapshots (`tasks.onDidChange`, `tasks.list`),
 * which the host makes equal to the journal's fold before it sends them. `replay`: a read-only
 * copy of the board driven only by journal events through the same reducers (shared/model/
 * taskFold.ts), so a replay shows what the user saw; `lastSeq`/`at` say how far it has played.
 */
export type ReplayState = { mode: 'live' } | { mode: 'replay'; lastSeq: number; at: number | null };

/** A point a replay can restart from without playing what came before (a seek's keyframe). */
export interface ReplayKeyframe {
  tasks: TasksById;
  lastSeq: number;
  at: number | null;
}

export interface ReplaySlice {
  replay: ReplayState;
  /**
   * Plays journal events (in seq order) into the board; an event at or before `lastSeq` is
   * skipped, so a batch that overlaps what was played is harmless. Live stores ignore it.
   */
  applyTaskEvents(events: readonly TaskEvent[]): void;
  /** Restarts the replay from `keyframe` (the empty board by default), to seek or rewind. */
  resetReplay(keyframe?: ReplayKeyframe): void;
}

const START: ReplayKeyframe = { tasks: NO_TASKS, lastSeq: 0, at: null };

/**
 * The board after `events`, through taskFold's reducers; the same object when none changes a
 * task (selectors memoize by identity).
 */
export function applyTaskEventsToBoard(tasks: TasksById, events: readonly TaskEvent[]): TasksById {
  let next: Record<string, (typeof tasks)[string]> | null = null;
  for (const event of events) {
    const current = (next ?? tasks)[event.taskId];
    const changed = applyTaskEvent(current, event);
    if (changed === current || changed === undefined) continue;
    next ??= { ...tasks };
    next[event.taskId] = changed;
  }
  return next ?? tasks;
}

export function createReplaySlice(mode: ReplayState['mode']): StateCreator<AppState, [], [], ReplaySlice> {
  return (set) => ({
    replay: mode === 'live' ? { mode } : { mode, lastSeq: START.lastSeq, at: START.at },
    applyTaskEvents: (events) =>
      set((s) => {
        if (s.replay.mode !== 'replay') return s;
        const lastSeq = s.replay.lastSeq;
        const fresh = events.filter((event) => event.seq > lastSeq);
        const last = fresh.at(-1);
        if (!last) return s;
        return { tasks: applyTaskEventsToBoard(s.tasks, fresh), isTasksLoaded: true, replay: { mode: 'replay', lastSeq: last.seq, at: last.at } };
      }),
    resetReplay: (keyframe = START) =>
      set((s) =>
        s.replay.mode !== 'replay' ? s : { tasks: keyframe.tasks, isTasksLoaded: true, replay: { mode: 'replay', lastSeq: keyframe.lastSeq, at: keyframe.at } },
      ),
  });
}
