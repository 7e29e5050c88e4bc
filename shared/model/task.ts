import { z } from 'zod';
import { TaskStatusSchema } from './taskLifecycle.js';
import { SandboxPolicySchema } from './sandboxPolicy.js';
import { ApprovalRequestSchema, TaskGrantsSchema } from './approval.js';
import { TaskPlanSchema } from './plan.js';

export const RepoSettingsSchema = z.object({
  /** Shell script run in each new worktree before the agent starts (e.g. `npm ci`); '' for none. */
  setupScript: z.string(),
  /** Shell script run in a worktree before it is removed; '' for none. */
  cleanupScript: z.string(),
  /** Files (relative to the repo root) copied into each new worktree, e.g. `.env`. */
  copyFiles: z.array(z.string()),
  /** Base branch for new tasks; null: the branch checked out in the user's checkout. */
  baseBranch: z.string().nullable(),
  /**
   * The setup and cleanup scripts get network (they always run in the task's sandbox). Off for
   * new repos; a task whose own policy has network gives its scripts network too.
   */
  scriptNetwork: z.boolean(),
  /**
   * Absolute paths of host unix sockets this repo's commands may connect to (e.g.
   * `/var/run/docker.sock`); the agent's, the task terminals' and the scripts' alike.
   */
  unixSockets: z.array(z.string()),
  /**
   * Absolute paths under the user's real home shown read-only to this repo's commands (e.g.
   * `~/.gitconfig` stored as `/home/me/.gitconfig`); never a credential folder or FLOTILLA_HOME.
   */
  homeReadOnlyPaths: z.array(z.string()),
  /**
   * Glob patterns (shared/model/protectedPaths.ts) of files a task may not merge without the
   * user's explicit approval; [] or absent for none.
   */
  protectedPaths: z.array(z.string()).optional(),
});
export type RepoSettings = z.infer<typeof RepoSettingsSchema>;

export const RepoSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  /** The branch checked out in the user's own checkout when it was added. */
  defaultBranch: z.string(),
  addedAt: z.number(),
  settings: RepoSettingsSchema,
});
export type Repo = z.infer<typeof RepoSchema>;

/** merge: a merge commit; squash: one new commit; rebase: the task's commits replayed onto the base (linear). */
export const MergeStrategySchema = z.enum(['merge', 'squash', 'rebase']);
export type MergeStrategy = z.infer<typeof MergeStrategySchema>;

export const TaskSchema = z.object({
  id: z.string(),
  title: z.string(),
  prompt: z.string(),
  repoId: z.string(),
  repoName: z.string(),
  repoPath: z.string(),
  status: TaskStatusSchema,
  /** The task's own branch, e.g. `flotilla/fix-login-3`. */
  branch: z.string(),
  baseBranch: z.string(),
  /** The commit the branch started from (diffs are taken against the merge base). */
  baseCommit: z.string(),
  worktreePath: z.string(),
  /** One line saying why the task failed, stopped or needs the user; null otherwise. */
  statusReason: z.string().nullable(),
  /** Set once merged: the commit now on the base branch. */
  mergeCommit: z.string().nullable(),
  mergeStrategy: MergeStrategySchema.nullable(),
  /** The pull request opened for the task's branch (`task pr`); null until one is. */
  prUrl: z.string().nullable().optional(),
  /**
   * When Flotilla last archived the worktree (uncommitted and untracked files included) under
   * `refs/flotilla/archive/<task-id>` before removing it (ms since epoch); null when there is
   * no archive (never archived, or past the retention period).
   */
  archivedAt: z.number().nullable().optional(),
  model: z.string(),
  /**
   * The provider profile the task was created for (`task new --provider`); null or absent: the
   * default in effect at each turn (profile, else environment and settings).
   */
  provider: z.string().nullable().optional(),
  /** The agent's checklist (its update_plan tool); null or absent until it makes one. */
  plan: TaskPlanSchema.nullable().optional(),
  /** True when `model` was chosen for this task (`--model`); else each turn uses its provider's model. */
  isModelPinned: z.boolean().optional(),
  /** What the task's commands may do; chosen at creation, widened only by the user. */
  policy: SandboxPolicySchema,
  /** What the user approved for the rest of the task. */
  grants: TaskGrantsSchema,
  /** The command waiting for the user's decision (status needs_input); null otherwise. */
  pendingApproval: ApprovalRequestSchema.nullable(),
  /** Model tokens used by all turns so far. */
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Task = z.infer<typeof TaskSchema>;
