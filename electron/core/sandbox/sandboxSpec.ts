/**
 * What one sandboxed command may touch. Paths are absolute host paths; the sandbox shows
 * them at the same place, so the agent sees the worktree where the host keeps it.
 */
export interface SandboxSpec {
  /** The task's worktree: the only project folder the command may write. */
  worktreePath: string;
  /**
   * Re-bound read-only after the writable binds, inside or outside the worktree:
   * the `.git` pointer file and the git dirs it leads to (the host commits, never the agent).
   * Paths that do not exist are skipped.
   */
  readOnlyPaths: string[];
  /** The per-task HOME, writable; the host creates it outside the worktree. */
  homeDir: string;
  /** false: the command gets its own empty network namespace (not even loopback reaches the host). */
  allowNetwork: boolean;
}
