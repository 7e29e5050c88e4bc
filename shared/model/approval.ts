import { z } from 'zod';

/** What an approval would widen, beyond the task's sandbox policy. */
export const WideningSchema = z.object({
  /** Network access for the command. */
  network: z.boolean(),
  /** Absolute host paths the command may write, outside the worktree. */
  writablePaths: z.array(z.string()),
});
export type Widening = z.infer<typeof WideningSchema>;

/**
 * A command waiting for the user. `escalation`: the agent asked to go beyond the sandbox,
 * giving a reason. `untrusted_command`: the task's policy is `untrusted` and the command is
 * not a known read-only one (it runs inside the sandbox once approved).
 */
export const ApprovalRequestSchema = z.object({
  requestId: z.string(),
  callId: z.string(),
  kind: z.enum(['escalation', 'untrusted_command']),
  command: z.string(),
  /** The agent's reason, in its words ('' when it gave none). */
  reason: z.string(),
  widening: WideningSchema,
  requestedAt: z.number(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const ApprovalDecisionSchema = z.object({
  decision: z.enum(['approve', 'deny']),
  /** `task`: the same widening (or, for untrusted commands, the same command) is approved for the rest of the task. */
  scope: z.enum(['once', 'task']),
  /** Goes back to the agent with a denial. */
  message: z.string().nullable(),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

/** What the user approved for the rest of a task. */
export const TaskGrantsSchema = z.object({
  network: z.boolean(),
  writablePaths: z.array(z.string()),
  /** Exact command lines approved "for this task" under the `untrusted` policy. */
  commands: z.array(z.string()),
});
export type TaskGrants = z.infer<typeof TaskGrantsSchema>;
export const NO_GRANTS: TaskGrants = { network: false, writablePaths: [], commands: [] };
