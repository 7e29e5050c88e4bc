import { useCallback } from 'react';
import type { BoardColumn } from '../../../../shared/model/boardColumns.js';
import type { Task } from '../../../../shared/model/task.js';
import { useActions, useClient } from '../../appContext.js';
import { errorMessage } from '../../state/startSync.js';
import { dropActionFor, type DropAction } from './dropRules.js';

/**
 * Carries out a move of a card to a column, whichever way it was asked for (a drop, the Move
 * menu, a shortcut): a call, a dialog, or a toast saying why not. Returns the action taken.
 */
export function useMoveTask(): (task: Task, to: BoardColumn) => DropAction {
  const client = useClient();
  const { receiveTask, openTaskDialog, showToast } = useActions();
  return useCallback(
    (task, to) => {
      const action = dropActionFor(task.status, to, task.pendingApproval !== null);
      switch (action.type) {
        case 'start':
          client.invoke('tasks.start', { id: task.id }).then(
            (result) => (result.ok ? receiveTask(result.task) : showToast(`Could not start “${task.title}”: ${result.message}`)),
            (error: unknown) => showToast(`Could not start “${task.title}”: ${errorMessage(error)}`),
          );
          break;
        case 'send':
          openTaskDialog({ kind: 'send', taskId: task.id, mode: action.mode });
          break;
        case 'finish':
          openTaskDialog({ kind: 'finish', taskId: task.id });
          break;
        case 'refuse':
          showToast(action.reason);
          break;
        case 'stay':
          break;
      }
      return action;
    },
    [client, receiveTask, openTaskDialog, showToast],
  );
}
