import { useState } from 'react';
import type { ReviewComment, ReviewVerdict } from '../../../../shared/model/reviewComment.js';
import { useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { InertText } from '../../components/InertText.js';
import { useCall } from '../../components/useCall.js';
import { CommentBody, PRIORITY_LABEL } from './InlineComments.js';
import type { CommentsState } from './useReviewComments.js';
import './comments.css';

/**
 * The task's comments and AI findings beside its diff: "Review with agent", the findings to pick,
 * an optional message and "Request changes", which sends every unsent comment plus the picked
 * findings as the agent's next turn. `onSelect` lets the diff view scroll to a comment's lines.
 * `comments` is the diff view's own list (kept live there), so they are read once.
 */
export function ReviewCommentsPanel(props: {
  taskId: string;
  comments: CommentsState;
  canRequestChanges: boolean;
  onSelect?: (comment: ReviewComment) => void;
}) {
  const client = useClient();
  const state = props.comments;
  const review = useCall();
  const send = useCall();
  const [verdict, setVerdict] = useState<ReviewVerdict | null>(null);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState('');

  if (state.status === 'loading') return <section className="review-comments" aria-busy="true" aria-label="Comments" />;
  if (state.status === 'error') return <FormError message={state.message} />;
  const { comments } = state;
  const unsent = comments.filter((c) => c.kind === 'comment' && c.sentAt === null);
  const toSend = unsent.length + picked.size;

  const runReview = async () => {
    const result = await review.run(() => client.invoke('tasks.review', { id: props.taskId }));
    if (result.ok) setVerdict(result.verdict);
  };
  const requestChanges = async () => {
    const result = await send.run(() =>
      client.invoke('tasks.requestChanges', {
        id: props.taskId,
        ...(message.trim() ? { message } : {}),
        ...(picked.size > 0 ? { findingIds: [...picked] } : {}),
      }),
    );
    if (result.ok) {
      setPicked(new Set());
      setMessage('');
    }
  };
  const toggle = (id: string) =>
    setPicked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="review-comments" aria-label="Comments">
      <header className="review-comments-head">
        <h3>Comments</h3>
        <button type="button" className="btn" onClick={() => void runReview()} disabled={review.isBusy || !props.canRequestChanges}>
          {review.isBusy ? 'Reviewing…' : 'Review with agent'}
        </button>
      </header>
      <FormError message={review.error} />
      {verdict && (
        <p className="review-verdict" role="status">
          <strong>
            <InertText text={verdict.overallCorrectness} />
          </strong>{' '}
          <InertText text={verdict.overallExplanation} />
        </p>
      )}
      {comments.length === 0 ? (
        <p className="review-comments-empty">No comments yet. Comment on a line of the diff, or review with an agent.</p>
      ) : (
        <ul className="review-comments-list">
          {comments.map((comment) => (
            <CommentItem key={comment.id} comment={comment} isPicked={picked.has(comment.id)} onToggle={() => toggle(comment.id)} onSelect={props.onSelect} />
          ))}
        </ul>
      )}
      <textarea
        className="review-comments-message"
        aria-label="Message with the request"
        placeholder="Optional message to the agent"
        value={message}
        onChange={(event) => setMessage(event.target.value)}
      />
      <FormError message={send.error} />
      <button type="button" className="btn btn-primary" disabled={toSend === 0 || send.isBusy || !props.canRequestChanges} onClick={() => void requestChanges()}>
        Request changes{toSend > 0 ? ` (${toSend})` : ''}
      </button>
    </section>
  );
}

function CommentItem(props: { comment: ReviewComment; isPicked: boolean; onToggle: () => void; onSelect: ((comment: ReviewComment) => void) | undefined }) {
  const { comment } = props;
  const lines = comment.startLine === comment.endLine ? `${comment.startLine}` : `${comment.startLine}–${comment.endLine}`;
  const state = comment.sentAt === null ? 'unsent' : `answered in turn ${comment.answeredInTurn ?? '?'}`;
  const isFinding = comment.kind === 'finding';
  return (
    <li className={`review-comment ${isFinding ? 'is-finding' : ''}`} data-comment-id={comment.id}>
      <div className="review-comment-head">
        {isFinding && comment.sentAt === null && (
          <input type="checkbox" aria-label="Send this finding" checked={props.isPicked} onChange={props.onToggle} />
        )}
        {isFinding && comment.priority !== null && <span className={`review-priority p${comment.priority}`}>{PRIORITY_LABEL[comment.priority]}</span>}
        <button type="button" className="review-comment-where" title="Show in the diff" onClick={() => props.onSelect?.(comment)}>
          <InertText text={comment.file} />:{lines}
        </button>
        <span className="review-comment-state">{state}</span>
      </div>
      <CommentBody comment={comment} />
    </li>
  );
}
