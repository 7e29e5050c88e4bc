import { useEffect, useState } from 'react';
import type { TaskDiff } from '../../../../shared/model/diff.js';
import type { UiClient } from '../../transport/uiClient.js';
import { errorMessage } from '../../state/startSync.js';

export type DiffState =
  | { status: 'loading' }
  | { status: 'ready'; diff: TaskDiff; isRefreshing: boolean }
  | { status: 'error'; message: string };

/**
 * The task's diff against its merge base, fetched again whenever `version` changes (a new
 * checkpoint). The previous diff stays on screen while the next one loads: no flashing.
 */
export function useTaskDiff(client: UiClient, taskId: string, version: string): DiffState {
  const [state, setState] = useState<DiffState>({ status: 'loading' });
  useEffect(() => {
    let isCurrent = true;
    setState((s) => (s.status === 'ready' ? { ...s, isRefreshing: true } : { status: 'loading' }));
    client.invoke('tasks.diff', { id: taskId }).then(
      (result) => {
        if (!isCurrent) return;
        setState(result.ok ? { status: 'ready', diff: result.diff, isRefreshing: false } : { status: 'error', message: result.message });
      },
      (error: unknown) => {
        if (isCurrent) setState({ status: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client, taskId, version]);
  return state;
}
