import type { Task } from '../../../../shared/model/task.js';
import { formatElapsed } from '../../components/formatTime.js';

/**
 * What a card's clock shows. A running task counts from when it started running (the host
 * sets `updatedAt` on every status change, and nothing else changes it while running);
 * every other task counts from its creation.
 */
export function cardClock(task: Pick<Task, 'status' | 'createdAt' | 'updatedAt'>, now: number): { text: string; title: string; since: number } {
  if (task.status === 'running') {
    const text = formatElapsed(now - task.updatedAt);
    return { text, title: `Running for ${text}`, since: task.updatedAt };
  }
  const text = formatElapsed(now - task.createdAt);
  return { text, title: `Created ${text} ago`, since: task.createdAt };
}

/**
 * The `now` to hand a card: exact while its clock still shows seconds, else rounded down to
 * a whole minute of the card's own age, so a memoized card re-renders once a minute instead
 * of on every board tick, and never shows another minute than the exact time would.
 */
export function cardNow(task: Pick<Task, 'status' | 'createdAt' | 'updatedAt'>, now: number): number {
  const age = now - (task.status === 'running' ? task.updatedAt : task.createdAt);
  return age < 60_000 ? now : now - (age % 60_000);
}
