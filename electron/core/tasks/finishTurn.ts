import type { TurnOutcome } from '../agent/agentRunner.js';
import type { TaskStore } from '../store/taskStore.js';
import type { TurnSlot } from './taskScheduler.js';
import type { TaskTransitions } from './taskTransitions.js';

/**
 * The status a task lands in when its turn ends: a stop by the user or by Flotilla's own
 * shutdown wins over whatever the worker reported; otherwise the outcome decides.
 */
export function finishTurn(
  deps: { tasks: Pick<TaskStore, 'get' | 'update'>; transitions: TaskTransitions },
  taskId: string,
  outcome: TurnOutcome,
  stopIntent: TurnSlot['stopIntent'],
  /** A turn that ended well still needs the user (conflict markers left after Resolve with agent): why. */
  needsYou: string | null = null,
): void {
  const { transitions } = deps;
  // A request nobody can answer any more (the worker is gone) must not linger on the card.
  if (deps.tasks.get(taskId)?.pendingApproval) deps.tasks.update(taskId, { pendingApproval: null });
  if (stopIntent === 'shutdown') {
    transitions.move(taskId, 'interrupted', 'Flotilla closed while this task was running');
    return;
  }
  if (stopIntent === 'user') {
    transitions.move(taskId, 'stopped', 'stopped by you; the work so far is kept');
    return;
  }
  switch (outcome.kind) {
    case 'done':
      transitions.move(taskId, needsYou === null ? 'review' : 'needs_input', needsYou);
      return;
    case 'failed':
      // No sandbox is something the user fixes (install bubblewrap), then resumes: it needs them.
      transitions.move(taskId, outcome.isSandboxUnavailable ? 'needs_input' : 'failed', outcome.reason);
      return;
    case 'stopped':
      transitions.move(taskId, 'stopped', 'the agent stopped');
      return;
    case 'crashed':
      transitions.move(taskId, 'failed', `the agent process ended unexpectedly: ${outcome.reason}`);
      return;
  }
}
