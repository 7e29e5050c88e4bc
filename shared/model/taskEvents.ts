import { z } from 'zod';
import { TaskStatusSchema } from './taskLifecycle.js';
import { MergeStrategySchema, TaskSchema } from './task.js';
import { ApprovalDecisionSchema, ApprovalRequestSchema } from './approval.js';
import { ReviewCommentSchema } from './reviewComment.js';

/** A task's changed fields, each replacing the whole field (never the id). */
export const TaskPatchSchema = TaskSchema.omit({ id: true }).partial();
export type TaskFieldPatch = z.infer<typeof TaskPatchSchema>;

/**
 * What happened in a task, in order. Each is one journal row; the task view's
 * transcript is a fold of these (see `transcript.ts`).
 */
export const TaskEventBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('task_created'), task: TaskSchema }),
  z.object({
    kind: z.literal('status_changed'),
    from: TaskStatusSchema,
    to: TaskStatusSchema,
    reason: z.string().nullable(),
  }),
  z.object({ kind: z.literal('user_message'), text: z.string() }),
  z.object({ kind: z.literal('agent_message'), text: z.string() }),
  z.object({ kind: z.literal('command_started'), callId: z.string(), command: z.string() }),
  z.object({ kind: z.literal('command_output'), callId: z.string(), chunk: z.string() }),
  z.object({
    kind: z.literal('command_finished'),
    callId: z.string(),
    exitCode: z.number().nullable(),
    durationMs: z.number(),
    /** True when the sandbox or a limit ended it (the agent was told). */
    isKilled: z.boolean(),
  }),
  /** The host died while this command ran: it may or may not have finished, and is never re-run. */
  z.object({ kind: z.literal('command_outcome_unknown'), callId: z.string() }),
  z.object({
    kind: z.literal('checkpoint'),
    commit: z.string(),
    filesChanged: z.number(),
    turn: z.number(),
  }),
  z.object({ kind: z.literal('approval_requested'), request: ApprovalRequestSchema }),
  z.object({ kind: z.literal('approval_decided'), requestId: z.string(), decision: ApprovalDecisionSchema }),
  z.object({ kind: z.literal('merged'), commit: z.string(), strategy: MergeStrategySchema }),
  z.object({ kind: z.literal('error'), message: z.string() }),
  /** Something the user should know that is not an error (e.g. "started from the last commit"). */
  z.object({ kind: z.literal('note'), text: z.string() }),
  /**
   * A terminal of the task (its Agent terminal, or a shell) is being recorded: every byte it
   * shows and every key typed into it, with timing, in `recording` (a path relative to
   * FLOTILLA_HOME; asciicast v2). The journal refers to the bytes instead of holding them.
   */
  z.object({
    kind: z.literal('terminal_recorded'),
    sessionId: z.string(),
    terminal: z.enum(['agent', 'sandboxed', 'unsandboxed']),
    recording: z.string(),
  }),
  /** A review comment or AI finding on the diff, or a later state of one (sent, answered): the last per id wins. */
  z.object({ kind: z.literal('review_comment'), comment: ReviewCommentSchema }),
  /**
   * Task fields that changed without an event of their own (usage, grants, pull request, archive,
   * `updatedAt`…): only the changed fields, written before the task is shown (shared/model/taskFold.ts).
   */
  z.object({ kind: z.literal('task_updated'), patch: TaskPatchSchema }),
]);
export type TaskEventBody = z.infer<typeof TaskEventBodySchema>;
export type TaskEventKind = TaskEventBody['kind'];

export const TaskEventSchema = z.object({
  /** Journal sequence number: unique and increasing across all tasks. */
  seq: z.number(),
  taskId: z.string(),
  /** Milliseconds since the epoch. */
  at: z.number(),
  body: TaskEventBodySchema,
});
export type TaskEvent = z.infer<typeof TaskEventSchema>;
