import { z } from 'zod';
import { TaskSchema } from '../model/task.js';
import { ReviewCommentSchema, ReviewVerdictSchema } from '../model/reviewComment.js';
import { resultOf } from './result.js';

/**
 * Sending a task back: comments on its diff, "Request changes" (the comments as the agent's next
 * turn) and an AI review whose findings become comments. Spread into `hostMethods`.
 */

/** 20 000 chars: a long comment is a paragraph or two; the whole request goes to the model. */
const MAX_COMMENT_CHARS = 20_000;
const TaskId = z.string().min(1);

export const reviewMethods = {
  /**
   * A comment on lines `startLine`–`endLine` (default: startLine) of a file in the task's diff, as
   * the task left it. Refused (`invalid_input`) when the file or a line is not in the diff.
   */
  'tasks.comment': {
    input: z.object({
      id: TaskId,
      file: z.string().min(1).max(4096),
      startLine: z.number().int().positive(),
      endLine: z.number().int().positive().optional(),
      text: z.string().trim().min(1, 'the comment is empty').max(MAX_COMMENT_CHARS),
    }),
    output: resultOf({ comment: ReviewCommentSchema }),
  },
  /** The task's comments and AI findings, oldest first, each with whether it was sent and which turn answered it. */
  'tasks.comments': { input: z.object({ id: TaskId }), output: resultOf({ comments: z.array(ReviewCommentSchema) }) },
  /**
   * Sends every unsent comment (plus the findings named in `findingIds`) to the agent as its next
   * turn, after `message`; the task goes back to In progress. Refused when there is nothing to send.
   */
  'tasks.requestChanges': {
    input: z.object({
      id: TaskId,
      message: z.string().trim().max(MAX_COMMENT_CHARS).optional(),
      findingIds: z.array(z.string().min(1)).max(500).optional(),
    }),
    output: resultOf({ task: TaskSchema, sent: z.array(ReviewCommentSchema) }),
  },
  /**
   * Runs a read-only review agent over the task's diff and answers when it is done: its verdict
   * and its findings (stored as comments of kind `finding`). Refused while the task's own agent runs.
   */
  'tasks.review': {
    input: z.object({ id: TaskId }),
    output: resultOf({ verdict: ReviewVerdictSchema, findings: z.array(ReviewCommentSchema) }),
  },
  /**
   * The repo's protected paths this task's branch touches (what a merge refuses without
   * `approveProtected`): for the merge button and the card to name before the user merges.
   */
  'tasks.protectedFiles': {
    input: z.object({ id: TaskId }),
    output: resultOf({ files: z.array(z.string()), patterns: z.array(z.string()) }),
  },
} as const;
