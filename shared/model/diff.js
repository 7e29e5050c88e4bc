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
});
export const TaskDiffSchema = z.object({
    /** Commit the diff is taken from: the merge base of the task branch and its base. */
    fromCommit: z.string(),
    /** Commit the diff goes to: the tip of the task branch. */
    toCommit: z.string(),
    files: z.array(FileDiffSchema),
});
//# sourceMappingURL=diff.js.map