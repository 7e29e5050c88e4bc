import { useId } from 'react';
import type { ApprovalRequest } from '../../../../shared/model/approval.js';
import type { Task } from '../../../../shared/model/task.js';
import { useActions, useAppStore } from '../../appContext.js';
import { selectIsReplay } from '../../state/selectors.js';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { InertText } from '../../components/InertText.js';
import { useTaskCall } from '../task/useTaskCall.js';
import { ApprovalIcon } from './ApprovalIcon.js';
import { askText } from './approvalText.js';
import { useIsArmed } from './useIsArmed.js';
import './approvals.css';

/**
 * The request on a Needs you card: what is asked, the command, and Approve (once) / Deny
 * right there, so answering takes one action from the board. The details and the other
 * answers (for the whole task, deny with a message) are one click away in the task view.
 */
export function CardApproval({ task, request }: { task: Task; request: ApprovalRequest }) {
  const { showToast } = useActions();
  const call = useTaskCall();
  const isArmed = useIsArmed(request.requestId);
  const commandId = useId();
  // A replay (features/replay) shows the request as it was asked; only the live board answers it.
  const isReadOnly = useAppStore(selectIsReplay);
  const isOff = !isArmed || call.isBusy || isReadOnly;

  async function approve() {
    const result = await call.run((client) => client.invoke('tasks.approve', { id: task.id, scope: 'once' }));
    if (!result.ok) showToast(`Could not approve “${task.title}”: ${result.message}`);
  }

  async function deny() {
    const result = await call.run((client) => client.invoke('tasks.deny', { id: task.id }));
    if (!result.ok) showToast(`Could not deny “${task.title}”: ${result.message}`);
  }

  return (
    <div className="card-approval" role="group" aria-label="Approval request">
      <p className="card-approval-head">
        <ApprovalIcon />
        <span>Approval needed</span>
      </p>
      <p className="card-approval-what">
        <InertText text={askText(request)} />
      </p>
      <code className="card-approval-cmd" id={commandId} title={visibleText(request.command)}>
        <InertText text={request.command} />
      </code>
      {request.reason.trim() !== '' && (
        <p className="card-approval-reason truncate" title={visibleText(request.reason)}>
          “<InertText text={request.reason} />”
        </p>
      )}
      <div className="card-approval-actions">
        <button
          type="button"
          className="btn btn-sm btn-primary"
          disabled={isOff}
          aria-describedby={commandId}
          title="Approve once: this command runs this time; a new request asks again"
          onClick={() => void approve()}
        >
          Approve
        </button>
        <button
          type="button"
          className="btn btn-sm"
          disabled={isOff}
          aria-describedby={commandId}
          title="Deny: the agent is told no and carries on without it (open the task to add a message)"
          onClick={() => void deny()}
        >
          Deny
        </button>
      </div>
    </div>
  );
}
