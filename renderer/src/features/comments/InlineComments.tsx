import type { ReviewComment } from '../../../../shared/model/reviewComment.js';
import { InertText } from '../../components/InertText.js';
import './comments.css';

export const PRIORITY_LABEL: Record<number, string> = { 0: 'P0 blocker', 1: 'P1 urgent', 2: 'P2 normal', 3: 'P3 low' };

/** The comments and AI findings that end on one line, drawn under it in the diff. */
export function InlineComments({ comments }: { comments: readonly ReviewComment[] }) {
  return (
    <ul className="inline-comments" aria-label="Comments on this line">
      {comments.map((comment) => (
        <li key={comment.id} className={`review-comment ${comment.kind === 'finding' ? 'is-finding' : ''}`} data-comment-id={comment.id}>
          <div className="review-comment-head">
            <span className="inline-comment-who">{comment.kind === 'finding' ? 'AI finding' : 'You'}</span>
            {comment.kind === 'finding' && comment.priority !== null && (
              <span className={`review-priority p${comment.priority}`}>{PRIORITY_LABEL[comment.priority]}</span>
            )}
            {comment.startLine !== comment.endLine && (
              <span className="muted">
                lines {comment.startLine}–{comment.endLine}
              </span>
            )}
            <span className="review-comment-state">{comment.sentAt === null ? 'unsent' : `sent, turn ${comment.answeredInTurn ?? '?'}`}</span>
          </div>
          <CommentBody comment={comment} />
        </li>
      ))}
    </ul>
  );
}

/** A comment's title (findings have one) and text, the agent's or the user's bytes kept inert. */
export function CommentBody({ comment }: { comment: ReviewComment }) {
  return (
    <>
      {comment.title && (
        <div className="review-comment-title">
          <InertText text={comment.title} />
        </div>
      )}
      <div className="review-comment-text">
        <InertText text={comment.text} />
      </div>
    </>
  );
}
