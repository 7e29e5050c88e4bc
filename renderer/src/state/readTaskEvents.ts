import type { Failure } from '../../../shared/contract.js';
import { readAllTaskEvents } from '../../../shared/contracts/taskEventPages.js';
import type { TaskEvent, TaskEventKind } from '../../../shared/model/taskEvents.js';
import type { UiClient } from '../transport/uiClient.js';

/**
 * Every event of one task (only `kinds`, when given: a reader of checkpoints skips the command
 * output), read page by page (a `tasks.events` reply holds at most a page); a refusal as
 * `{ ok: false }`, a broken call as a rejection.
 */
export function readTaskEvents(client: UiClient, taskId: string, kinds?: readonly TaskEventKind[]): Promise<{ ok: true; events: TaskEvent[] } | Failure> {
  const only = kinds ? { kinds: [...kinds] } : {};
  return readAllTaskEvents((afterSeq) => client.invoke('tasks.events', afterSeq === undefined ? { id: taskId, ...only } : { id: taskId, afterSeq, ...only }));
}
