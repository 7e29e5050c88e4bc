import { useMemo } from 'react';
import type { TranscriptItem } from '../../../../shared/model/transcript.js';
import { FormError } from '../../components/FormError.js';
import { InertText } from '../../components/InertText.js';
import { useStickToBottom } from '../../components/useStickToBottom.js';
import { ApprovalLine } from '../approvals/ApprovalLine.js';
import type { DecisionState } from '../approvals/approvalText.js';
import { approvalsByCallId } from '../approvals/commandApprovals.js';
import { CommandBlock } from './CommandBlock.js';
import type { TranscriptView } from './useTranscript.js';
import './transcript.css';

function TranscriptEntry({
  item,
  approvals,
  receivedNewlines,
  isVisible,
}: {
  item: TranscriptItem;
  approvals: ReadonlyMap<string, DecisionState>;
  receivedNewlines: ReadonlyMap<string, number>;
  isVisible: boolean;
}) {
  switch (item.type) {
    case 'user':
      return (
        <div className="msg msg-user">
          <div className="msg-who caps-label">You</div>
          <div className="msg-text">
            <InertText text={item.text} />
          </div>
        </div>
      );
    case 'agent':
      return (
        <div className="msg msg-agent">
          <div className="msg-who caps-label">Agent</div>
          <div className="msg-text">
            <InertText text={item.text} />
          </div>
        </div>
      );
    case 'command':
      return (
        <CommandBlock
          item={item}
          approval={approvals.get(item.callId)}
          receivedNewlines={receivedNewlines.get(item.callId) ?? 0}
          isVisible={isVisible}
        />
      );
    case 'checkpoint':
      return (
        <div className="line line-checkpoint">
          <span className="line-mark" aria-hidden="true" />
          Checkpoint <code className="mono">{item.commit.slice(0, 10)}</code> · {item.filesChanged}{' '}
          {item.filesChanged === 1 ? 'file' : 'files'} changed
        </div>
      );
    case 'status':
      return (
        <div className="line line-status">
          <InertText text={item.text} />
        </div>
      );
    case 'error':
      return (
        <div className="line line-error">
          <InertText text={item.text} />
        </div>
      );
    case 'approval':
      return <ApprovalLine item={item} />;
  }
}

/** Sticks to the bottom while the user is at the bottom; leaves them alone once they scroll up. */
export function Transcript({ view, isVisible }: { view: TranscriptView; isVisible: boolean }) {
  const { ref, onScroll } = useStickToBottom<HTMLDivElement>(view.items, isVisible);
  const approvals = useMemo(() => approvalsByCallId(view.items), [view.items]);
  return (
    <div className="transcript" ref={ref} onScroll={onScroll}>
      <FormError message={view.error} />
      {!view.isLoaded && <p className="muted">Loading transcript…</p>}
      {view.isLoaded && view.items.length === 0 && view.error === null && <p className="muted">Nothing has happened yet.</p>}
      {view.items.map((item) => (
        <TranscriptEntry key={item.seq} item={item} approvals={approvals} receivedNewlines={view.receivedNewlines} isVisible={isVisible} />
      ))}
    </div>
  );
}
