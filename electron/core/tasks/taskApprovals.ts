import type { ApprovalRequest, TaskGrants } from '../../../shared/model/approval.js';
import { describeWidening } from '../../../shared/model/widening.js';
import type { TaskTransitions } from './taskTransitions.js';

/**
 * Approvals on a task: the agent's command that waits for the user (the card moves to Needs you
 * with what is asked), and what "approve for this task" grants from then on.
 */

/** Journals the request and moves the card to Needs you, saying what is asked. */
export function requestApproval(transitions: TaskTransitions, taskId: string, asked: Omit<ApprovalRequest, 'requestedAt'>, now: number): void {
  const request: ApprovalRequest = { ...asked, requestedAt: now };
  transitions.record(taskId, { kind: 'approval_requested', request });
  const what = request.kind === 'escalation' ? describeWidening(request.widening) : 'running a command that may change things';
  transitions.move(taskId, 'needs_input', `approval needed: ${what} for \`${oneLine(request.command, 80)}\``, { pendingApproval: request });
}

/** The grants after "approve for this task": the widening asked, or the exact command line. */
export function grantFor(grants: TaskGrants, request: ApprovalRequest): TaskGrants {
  if (request.kind === 'untrusted_command') {
    return { ...grants, commands: [...new Set([...grants.commands, request.command])] };
  }
  return {
    network: grants.network || request.widening.network,
    writablePaths: [...new Set([...grants.writablePaths, ...request.widening.writablePaths])],
    commands: grants.commands,
  };
}

/** The first line of `text`, cut to `max` characters. */
function oneLine(text: string, max: number): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
