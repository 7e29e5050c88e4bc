import type { SandboxMode } from '../../../shared/model/sandboxPolicy.js';

/**
 * What one sandboxed command may touch. Paths are absolute host paths; the sandbox shows
 * them at the same place, so the agent sees the worktree where the host keeps it.
 */
export interface SandboxSpec {
  /**
   * - `workspace-write`: the worktree, the per-task HOME and a private /tmp are writable.
   * - `read-only`: the worktree is read-only too (HOME and /tmp stay writable: tools need caches).
   * - `full-access`: no sandbox at all (the user chose it for this task); the environment
   *   allowlist, the process group, the limits and the wall time still apply.
   */
  mode: SandboxMode;
  /** The task's worktree: the only project folder the command may write. */
  worktreePath: string;
  /**
   * Re-bound read-only after the writable binds, inside or outside the worktree:
   * the `.git` pointer file and the git dirs it leads to (the host commits, never the agent).
   * Paths that do not exist are skipped.
   */
  readOnlyPaths: string[];
  /**
   * Made writable by the user through an approval. Checked by checkWritablePath (absolute,
   * never `/`, never overlapping credentials or FLOTILLA_HOME, never inside the git dirs);
   * a dangerous one is a host bug and throws, a vanished one is skipped.
   */
  extraWritablePaths: string[];
  /** The per-task HOME, writable; the host creates it outside the worktree. */
  homeDir: string;
  /** false: the command gets its own empty network namespace (not even loopback reaches the host). */
  allowNetwork: boolean;
  /**
   * Host UNIX sockets the user allowlisted for the repo (absolute paths), e.g. a docker socket
   * for the rare tool that needs one. Absent or empty: the command cannot create any AF_UNIX
   * socket at all (a seccomp filter on Linux; `socketpair` keeps working), so neither path
   * nor abstract sockets of the host are reachable.
   */
  unixSockets?: string[];
  /**
   * Paths under the user's real home that the user allowlisted for the repo, shown read-only
   * (e.g. `~/.gitconfig`, a package cache). Absent or empty: nothing of the real home is
   * visible beyond the toolchains on PATH (see homeExposure.ts).
   */
  homeReadOnlyPaths?: string[];
}
