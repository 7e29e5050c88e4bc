import type { TranscriptItem } from '../../../../shared/model/transcript.js';
import { useStickToBottom } from '../../components/useStickToBottom.js';
import { CommandBlock } from './CommandBlock.js';
import type { TranscriptView } from './useTranscript.js';

function TranscriptEntry({ item }: { item: TranscriptItem }) {
  switch (item.type) {
    case 'user':
      return (
        <div className="msg msg-user">
          <div className="msg-who">You</div>
          <div className="msg-text">{item.text}</div>
        </div>
      );
    case 'agent':
      return (
        <div className="msg msg-agent">
          <div className="msg-who">Agent</div>
          <div className="msg-text">{item.text}</div>
        </div>
      );
    case 'command':
      return <CommandBlock item={item} />;
    case 'checkpoint':
      return (
        <div className="line line-checkpoint">
          <span className="line-mark" aria-hidden="true" />
          Checkpoint <code className="mono">{item.commit.slice(0, 10)}</code> · {item.filesChanged}{' '}
          {item.filesChanged === 1 ? 'file' : 'files'} changed
        </div>
      );
    case 'status':
      return <div className="line line-status">{item.text}</div>;
    case 'error':
      return <div className="line line-error">{item.text}</div>;
    case 'approval':
      return (
        <div className="line line-approval">
          Asked to run <code className="mono">{item.request.command}</code>
          {item.request.reason ? ` (${item.request.reason})` : ''}:{' '}
          {item.decision === null
            ? 'waiting for you'
            : item.decision.decision === 'approve'
              ? item.decision.scope === 'task'
                ? 'approved for this task'
                : 'approved once'
              : 'denied'}
        </div>
      );
  }
}

/** Sticks to the bottom while the user is at the bottom; leaves them alone once they scroll up. */
export function Transcript({ view, isVisible }: { view: TranscriptView; isVisible: boolean }) {
  const { ref, onScroll } = useStickToBottom<HTMLDivElement>(view.items, isVisible);
  return (
    <div className="transcript" ref={ref} onScroll={onScroll}>
      {view.error !== null && (
        <p className="form-error" role="alert">
          {view.error}
        </p>
      )}
      {!view.isLoaded && <p className="muted">Loading transcript…</p>}
      {view.isLoaded && view.items.length === 0 && view.error === null && <p className="muted">Nothing has happened yet.</p>}
      {view.items.map((item) => (
        <TranscriptEntry key={item.seq} item={item} />
      ))}
    </div>
  );
}
