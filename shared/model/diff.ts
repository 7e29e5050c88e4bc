import { z } from 'zod';

export const FileChangeSchema = z.enum(['added', 'modified', 'deleted', 'renamed', 'binary']);

export const FileDiffSchema = z.object({
  path: z.string(),
  /** For renames: where the file came from. */
  oldPath: z.string().nullable(),
  change: FileChangeSchema,
  additions: z.number(),
  deletions: z.number(),
  /** The unified diff of this file alone (from `diff --git` on); empty for binary files. */
  patch: z.string(),
  /** True when the patch was too big to send whole and was cut. */
  isTruncated: z.boolean(),
  /**
   * True when the file is execution-sensitive: something runs it or its scripts (CI
   * workflows, hooks, Makefiles, Dockerfiles, editor tasks, a manifest whose scripts changed).
   */
  sensitive: z.boolean(),
  /** What kind of sensitive file it is ("CI workflow", "package.json scripts changed"); null when not. */
  sensitiveReason: z.string().nullable(),
});
export type FileDiff = z.infer<typeof FileDiffSchema>;

export const TaskDiffSchema = z.object({
  /** Commit the diff is taken from: the merge base of the task branch and its base. */
  fromCommit: z.string(),
  /** Commit the diff goes to: the tip of the task branch (or the turn's checkpoint). */
  toCommit: z.string(),
  /** The turn this diff is limited to (its checkpoint against the commit before it); absent for the whole task. */
  turn: z.number().int().positive().optional(),
  files: z.array(FileDiffSchema),
});
export type TaskDiff = z.infer<typeof TaskDiffSchema>;
