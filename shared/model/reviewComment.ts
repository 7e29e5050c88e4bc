import { z } from 'zod';
import type { TaskEvent } from './taskEvents.js';

/**
 * Review comments on a task's diff: the user's own (`comment`) and an AI review's (`finding`).
 * Each version of a comment is one `review_comment` journal event; the current state is the
 * last event per comment id (`foldReviewComments`), so replay and the live view agree.
 */

/** 0 is the most urgent (Codex review mode: P0 blocks a release, P3 is a nit). */
export const FindingPrioritySchema = z.number().int().min(0).max(3);

export const ReviewCommentSchema = z.object({
  id: z.string(),
  kind: z.enum(['comment', 'finding']),
  /** Repo-relative path of a file in the task's diff. */
  file: z.string(),
  /** 1-based lines of the file as the task left it (of the old file for a deleted one); endLine ≥ startLine. */
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  /** The lines commented on, as the diff showed them (what the agent is quoted). */
  quote: z.string(),
  text: z.string(),
  /** Findings: their title and priority; null for the user's own comments. */
  title: z.string().nullable(),
  priority: FindingPrioritySchema.nullable(),
  /** Findings: the review agent's confidence, 0–1. */
  confidence: z.number().nullable(),
  createdAt: z.number(),
  /** When "Request changes" sent it to the agent (ms since epoch); null while unsent. */
  sentAt: z.number().nullable(),
  /** The agent turn that answered it (the turn its request started); null while unsent. */
  answeredInTurn: z.number().int().nullable(),
});
export type ReviewComment = z.infer<typeof ReviewCommentSchema>;

/** What an AI review concluded overall, beside its findings. */
export const ReviewVerdictSchema = z.object({
  overallCorrectness: z.string(),
  overallExplanation: z.string(),
  overallConfidence: z.number().nullable(),
});
export type ReviewVerdict = z.infer<typeof ReviewVerdictSchema>;

/** The comments of a task as they stand now, oldest first. */
export function foldReviewComments(events: readonly TaskEvent[]): ReviewComment[] {
  const byId = new Map<string, ReviewComment>();
  for (const event of events) {
    if (event.body.kind === 'review_comment') byId.set(event.body.comment.id, event.body.comment);
  }
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt);
}

/** Unsent comments of the user's own: what "Request changes" sends (chosen findings are added to these). */
export function isUnsentComment(comment: ReviewComment): boolean {
  return comment.kind === 'comment' && comment.sentAt === null;
}
