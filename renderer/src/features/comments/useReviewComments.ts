import { useEffect, useState } from 'react';
import type { ReviewComment } from '../../../../shared/model/reviewComment.js';
import { foldReviewComments } from '../../../../shared/model/reviewComment.js';
import type { UiClient } from '../../transport/uiClient.js';
import { errorMessage } from '../../state/startSync.js';
import { readTaskEvents } from '../../state/readTaskEvents.js';

export type CommentsState = { status: 'loading' } | { status: 'ready'; comments: ReviewComment[] } | { status: 'error'; message: string };

/**
 * The task's comments and AI findings: read once, then kept current from the `review_comment`
 * events the host announces (each is the newest state of one comment), so no refetch per change.
 */
export function useReviewComments(client: UiClient, taskId: string): CommentsState {
  const [state, setState] = useState<CommentsState>({ status: 'loading' });
  useEffect(() => {
    let isCurrent = true;
    const live: ReviewComment[] = [];
    // Subscribe first: a comment added while the list loads is not lost.
    const unsubscribe = client.on('tasks.onDidAppendEvent', ({ event }) => {
      if (event.taskId !== taskId || event.body.kind !== 'review_comment') return;
      const { comment } = event.body;
      live.push(comment);
      setState((s) => (s.status === 'ready' ? { status: 'ready', comments: withComment(s.comments, comment) } : s));
    });
    readTaskEvents(client, taskId, ['review_comment']).then(
      (result) => {
        if (!isCurrent) return;
        if (!result.ok) return setState({ status: 'error', message: result.message });
        setState({ status: 'ready', comments: live.reduce(withComment, foldReviewComments(result.events)) });
      },
      (error: unknown) => {
        if (isCurrent) setState({ status: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      isCurrent = false;
      unsubscribe();
    };
  }, [client, taskId]);
  return state;
}

/** The list with `update` in place of the comment with its id (a newer state), or added at the end. */
export function withComment(comments: readonly ReviewComment[], update: ReviewComment): ReviewComment[] {
  const index = comments.findIndex((comment) => comment.id === update.id);
  return index < 0 ? [...comments, update] : comments.map((comment, i) => (i === index ? update : comment));
}

/** The comments on one file, by the line they end on: what a diff view marks beside its lines. */
export function commentsByLine(comments: readonly ReviewComment[], file: string): Map<number, ReviewComment[]> {
  const byLine = new Map<number, ReviewComment[]>();
  for (const comment of comments) {
    if (comment.file !== file) continue;
    byLine.set(comment.endLine, [...(byLine.get(comment.endLine) ?? []), comment]);
  }
  return byLine;
}
