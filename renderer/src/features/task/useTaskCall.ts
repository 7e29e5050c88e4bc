import { useCallback } from 'react';
import type { Failure } from '../../../../shared/contract.js';
import type { Task } from '../../../../shared/model/task.js';
import { useActions, useClient } from '../../appContext.js';
import { useCall } from '../../components/useCall.js';
import type { UiClient } from '../../transport/uiClient.js';

export type TaskCallResult = { ok: true; task: Task } | { ok: false; message: string };
type TaskReply = { ok: true; task: Task } | Failure;

/**
 * Runs one contract call that answers with a task (create, start, send, stop, discard, merge),
 * applies the task to the store, and keeps `isBusy`/`error` for the control that made it (see
 * useCall). Expected failures and transport errors both end up as `error`, shown as is.
 */
export function useTaskCall(): {
  run: (call: (client: UiClient) => Promise<TaskReply>) => Promise<TaskCallResult>;
  isBusy: boolean;
  error: string | null;
  setError: (message: string | null) => void;
} {
  const client = useClient();
  const { receiveTask } = useActions();
  const { run: runCall, isBusy, error, setError } = useCall();

  const run = useCallback(
    async (call: (client: UiClient) => Promise<TaskReply>): Promise<TaskCallResult> => {
      const result = await runCall(async () => {
        const reply = await call(client);
        if (reply.ok) receiveTask(reply.task);
        return reply;
      });
      return result.ok ? { ok: true, task: result.task } : { ok: false, message: result.message };
    },
    [client, receiveTask, runCall],
  );

  return { run, isBusy, error, setError };
}
