import { useCallback, useState } from 'react';
import type { Failure } from '../../../../shared/contract.js';
import type { Task } from '../../../../shared/model/task.js';
import { useActions, useClient } from '../../appContext.js';
import { errorMessage } from '../../state/startSync.js';
import type { UiClient } from '../../transport/uiClient.js';

export type TaskCallResult = { ok: true; task: Task } | { ok: false; message: string };
type TaskReply = { ok: true; task: Task } | Failure;

/**
 * Runs one contract call that answers with a task (start, send, stop, discard, merge), applies
 * the task to the store, and keeps `isBusy`/`error` for the control that made it. Expected
 * failures and transport errors both end up as `error`, shown as is.
 */
export function useTaskCall(): {
  run: (call: (client: UiClient) => Promise<TaskReply>) => Promise<TaskCallResult>;
  isBusy: boolean;
  error: string | null;
  clearError: () => void;
} {
  const client = useClient();
  const { receiveTask } = useActions();
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(
    async (call: (client: UiClient) => Promise<TaskReply>): Promise<TaskCallResult> => {
      setIsBusy(true);
      setError(null);
      let result: TaskCallResult;
      try {
        const reply = await call(client);
        if (reply.ok) receiveTask(reply.task);
        result = reply.ok ? { ok: true, task: reply.task } : { ok: false, message: reply.message };
      } catch (e) {
        result = { ok: false, message: errorMessage(e) };
      }
      // The control may be gone (the card moved columns): React ignores updates to it.
      setIsBusy(false);
      if (!result.ok) setError(result.message);
      return result;
    },
    [client, receiveTask],
  );

  return { run, isBusy, error, clearError: useCallback(() => setError(null), []) };
}
