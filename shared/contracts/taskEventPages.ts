import { z } from 'zod';
import { TaskEventBodySchema, TaskEventSchema, type TaskEvent, type TaskEventKind } from '../model/taskEvents.js';
import type { Failure } from './failure.js';
import { resultOf } from './result.js';

/**
 * Events per `tasks.events` reply, the default and the most: a chatty task holds tens of
 * thousands of rows (each command output chunk is one), and one reply of them all would hold
 * the host's one thread and the socket for seconds. 1000 rows of ≤ 64 KB chunks stay a few MB.
 */
export const TASK_EVENTS_PAGE_MAX = 1000;

export const TaskEventKindSchema = z.enum(TaskEventBodySchema.options.map((option) => option.shape.kind.value) as [TaskEventKind, ...TaskEventKind[]]);

export const taskEventsMethod = {
  /**
   * One page of a task's journal, oldest first: at most `limit` (default and most
   * TASK_EVENTS_PAGE_MAX) events after `afterSeq`. `hasMore`: more follow; read on from
   * `nextAfterSeq` (the last seq of this page, or `afterSeq` when it is empty). `kinds`: only
   * events of these kinds (a reader of checkpoints or comments skips the command output).
   * `readAllTaskEvents` pages through.
   */
  'tasks.events': {
    input: z.object({
      id: z.string().min(1),
      afterSeq: z.number().int().nonnegative().optional(),
      limit: z.number().int().positive().max(TASK_EVENTS_PAGE_MAX).optional(),
      kinds: z.array(TaskEventKindSchema).min(1).max(TaskEventKindSchema.options.length).optional(),
    }),
    output: resultOf({ events: z.array(TaskEventSchema), hasMore: z.boolean(), nextAfterSeq: z.number().int().nonnegative() }),
  },
} as const;

export interface TaskEventPage {
  ok: true;
  events: TaskEvent[];
  hasMore: boolean;
  nextAfterSeq: number;
}

/**
 * Reads every event of a task after `afterSeq` by pages (`read` is one `tasks.events` call),
 * stopping at the first refusal. `onPage` sees each page as it comes (a printer, a fold), so a
 * caller need not hold them all; the result holds them all unless `onPage` is given.
 */
export async function readAllTaskEvents(
  read: (afterSeq: number | undefined) => Promise<TaskEventPage | Failure>,
  afterSeq?: number,
  onPage?: (events: readonly TaskEvent[]) => void,
): Promise<{ ok: true; events: TaskEvent[]; lastSeq: number | undefined } | Failure> {
  const all: TaskEvent[] = [];
  let cursor = afterSeq;
  for (;;) {
    const page = await read(cursor);
    if (!page.ok) return page;
    if (onPage) onPage(page.events);
    else all.push(...page.events);
    if (page.events.length > 0) cursor = page.nextAfterSeq;
    if (!page.hasMore || page.events.length === 0) return { ok: true, events: all, lastSeq: cursor };
  }
}
