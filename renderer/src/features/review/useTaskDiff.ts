import { startTransition, useEffect, useState } from 'react';
import type { TaskDiff } from '../../../../shared/model/diff.js';
import type { UiClient } from '../../transport/uiClient.js';
import { errorMessage } from '../../state/startSync.js';
import { readTaskEvents } from '../../state/readTaskEvents.js';

export type DiffState =
  | { status: 'loading' }
  /** `uncommittedDiff`: the worktree against the branch tip, when the host sends it (null: paths only). */
  | { status: 'ready'; diff: TaskDiff; uncommitted: string[]; uncommittedDiff: TaskDiff | null; isRefreshing: boolean }
  | { status: 'error'; message: string };

/**
 * The task's diff against its merge base (or one turn's, when `turn` is set), fetched again
 * whenever `version` changes (a new checkpoint). The previous diff stays on screen while
 * the next one loads: no flashing.
 */
export function useTaskDiff(client: UiClient, taskId: string, version: string, turn: number | null): DiffState {
  const [state, setState] = useState<DiffState>({ status: 'loading' });
  useEffect(() => {
    let isCurrent = true;
    setState((s) => (s.status === 'ready' ? { ...s, isRefreshing: true } : { status: 'loading' }));
    client.invoke('tasks.diff', { id: taskId, ...(turn !== null ? { turn } : {}) }).then(
      (result) => {
        if (!isCurrent) return;
        // A transition: 300 files' headers and tree rows are rendered in slices, not one long task.
        startTransition(() =>
          setState(
            result.ok
            ? { status: 'ready', diff: result.diff, uncommitted: result.uncommitted ?? [], uncommittedDiff: result.uncommittedDiff ?? null, isRefreshing: false }
              : { status: 'error', message: result.message },
          ),
        );
      },
      (error: unknown) => {
        if (isCurrent) setState({ status: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client, taskId, version, turn]);
  return state;
}

/** The turns that have a checkpoint (so a diff), oldest first; refetched with `version`. */
export function useCheckpointTurns(client: UiClient, taskId: string, version: string): number[] {
  const [turns, setTurns] = useState<number[]>([]);
  useEffect(() => {
    let isCurrent = true;
    readTaskEvents(client, taskId, ['checkpoint']).then(
      (result) => {
        if (!isCurrent || !result.ok) return;
        const found = result.events.flatMap(({ body }) => (body.kind === 'checkpoint' ? [body.turn] : []));
        setTurns([...new Set(found)].sort((a, b) => a - b));
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [client, taskId, version]);
  return turns;
}
