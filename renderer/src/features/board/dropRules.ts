import { BOARD_COLUMNS, columnOf, COLUMN_TITLES, type BoardColumn } from '../../../../shared/model/boardColumns.js';
import { canMerge, canTransition, isFinal, type TaskStatus } from '../../../../shared/model/taskLifecycle.js';

/**
 * What moving a card to a column means. The board never changes a status itself: each
 * accepted move is one contract call (possibly after a dialog), and the card moves when the
 * host says the status changed.
 * - `start`: `tasks.start` (Backlog → In progress).
 * - `send`: `tasks.send` after asking for a message; `follow_up` for a task that finished a
 *   turn (Review, Needs input), `resume` for one that stopped, failed or was interrupted.
 * - `finish`: the "Merge or discard?" dialog; `canMerge` says whether merging is on offer.
 * - `stay`: dropped where it already is: nothing to do, nothing to say.
 * - `refuse`: not a move the column allows; `reason` is shown to the user as is.
 */
export type DropAction =
  | { type: 'start' }
  | { type: 'send'; mode: SendMode }
  | { type: 'finish'; canMerge: boolean }
  | { type: 'stay' }
  | { type: 'refuse'; reason: string };

export type SendMode = 'follow_up' | 'resume';

/** Statuses whose next turn is a resume (the last one did not end on its own) rather than a follow-up. */
export function sendModeOf(status: TaskStatus): SendMode | null {
  switch (status) {
    case 'review':
    case 'needs_input':
      return 'follow_up';
    case 'failed':
    case 'stopped':
    case 'interrupted':
      return 'resume';
    default:
      return null;
  }
}

/**
 * `hasPendingApproval`: the agent waits for a yes or no on a command. That answer is a
 * security decision made in the task view, never a side effect of dragging a card.
 */
export function dropActionFor(status: TaskStatus, to: BoardColumn, hasPendingApproval = false): DropAction {
  const from = columnOf(status);
  if (from === to) return { type: 'stay' };
  if (isFinal(status)) return { type: 'refuse', reason: `This task is ${status}: finished tasks stay in Done.` };
  if (hasPendingApproval && to === 'in_progress') {
    return { type: 'refuse', reason: 'The agent is waiting for your approval of a command: answer it on the card or in the task view.' };
  }
  switch (to) {
    case 'backlog':
      return { type: 'refuse', reason: 'A task cannot go back to the Backlog once it has started.' };
    case 'in_progress': {
      if (status === 'backlog') return { type: 'start' };
      const mode = sendModeOf(status);
      return mode ? { type: 'send', mode } : { type: 'refuse', reason: `A ${status} task cannot be started again.` };
    }
    case 'needs_you':
      return { type: 'refuse', reason: 'Tasks come to Needs you on their own, when an agent stops or asks something.' };
    case 'review':
      return { type: 'refuse', reason: 'Tasks reach Review when their agent finishes a turn.' };
    case 'done': {
      const isMergeable = canMerge(status);
      if (isMergeable || canTransition(status, 'discarded')) return { type: 'finish', canMerge: isMergeable };
      return { type: 'refuse', reason: 'Stop the agent first: a running task cannot be merged or discarded.' };
    }
  }
}

/** The words for a move, for menus and announcements: "Start", "Send a follow-up…". */
export function dropActionLabel(action: DropAction, to: BoardColumn): string {
  switch (action.type) {
    case 'start':
      return 'Start';
    case 'send':
      return action.mode === 'resume' ? 'Resume…' : 'Send a follow-up…';
    case 'finish':
      return action.canMerge ? 'Merge or discard…' : 'Discard…';
    case 'stay':
      return `Already in ${COLUMN_TITLES[to]}`;
    case 'refuse':
      return COLUMN_TITLES[to];
  }
}

export function isAccepted(action: DropAction): action is Extract<DropAction, { type: 'start' | 'send' | 'finish' }> {
  return action.type === 'start' || action.type === 'send' || action.type === 'finish';
}

export type AcceptedMove = { column: BoardColumn; action: Extract<DropAction, { type: 'start' | 'send' | 'finish' }> };

/** The moves a card's Move menu offers: every column the task may go to, left to right. */
export function acceptedMoves(status: TaskStatus, hasPendingApproval = false): AcceptedMove[] {
  const moves: AcceptedMove[] = [];
  for (const column of BOARD_COLUMNS) {
    const action = dropActionFor(status, column, hasPendingApproval);
    if (isAccepted(action)) moves.push({ column, action });
  }
  return moves;
}
