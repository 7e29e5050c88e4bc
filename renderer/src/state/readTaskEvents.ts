import type { Failure } from '../../../shared/contract.js';
import { readAllTaskEvents } from '../../../shared/contracts/taskEventPages.js';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import type { UiClient } from '../transport/uiClient.js';

/**
 * Every event of one task, read page by page (a `tasks.events` reply holds at most a page); a
 * refusal as `{ ok: false }`, a broken call as a rejection.
 */
export function readTaskEvents(client: UiClient, taskId: string): Promise<{ ok: true; events: TaskEvent[] } | Failure> {
  return readAllTaskEvents((afterSeq) => client.invoke('tasks.events', afterSeq === undefined ? { id: taskId } : { id: taskId, afterSeq }));
}
