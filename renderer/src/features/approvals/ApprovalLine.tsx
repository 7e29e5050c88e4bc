import type { TranscriptItem } from '../../../../shared/model/transcript.js';
import { InertText } from '../../components/InertText.js';
import { approvalSummary, decisionState, decisionText } from './approvalText.js';
import './approvals.css';

type ApprovalItem = Extract<TranscriptItem, { type: 'approval' }>;

/** One request in the transcript: what was asked, for which command, and what you decided. */
export function ApprovalLine({ item }: { item: ApprovalItem }) {
  const { request, decision } = item;
  const state = decisionState(decision);
  return (
    <div className="line-approval" data-decision={state} role="group" aria-label={`Approval: ${decisionText(decision)}`}>
      <div className="line-approval-ask">
        {request.kind === 'escalation' ? `Asked for ${approvalSummary(request)} to run` : 'Asked to run'}{' '}
        <code className="mono">
          <InertText text={request.command} />
        </code>
        {request.reason.trim() !== '' && (
          <span className="line-approval-reason">
            {' '}
            — “<InertText text={request.reason} />”
          </span>
        )}
      </div>
      <div className="line-approval-decision">
        <InertText text={decisionText(decision)} />
      </div>
    </div>
  );
}
