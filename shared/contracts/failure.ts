/** Expected failures: the caller shows `message` as is. A throw is a bug, not one of these. */
export const FAILURE_KINDS = [
  'invalid_input',
  'not_found',
  'not_a_repo',
  'no_commits',
  'bad_branch',
  'repo_missing',
  'invalid_state',
  'conflict',
  'checkout_dirty',
  'git_error',
  'sandbox_unavailable',
  /** A merge refused because the worktree holds work nobody reviewed (`files`: those paths). */
  'uncommitted',
  /** A merge refused because the task branch moved since the caller looked at it. */
  'changed',
  /** Something the action needs is missing here (a remote, the `gh` tool, a sign-in). */
  'unavailable',
  /** A merge refused because the task touches protected paths the user has not approved (`files`: those paths). */
  'protected',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/**
 * Plain types and code without zod on purpose: the agent worker's sandbox code returns these,
 * and every worker's memory counts per running agent (the `fleet` benchmark). FailureSchema in
 * result.ts validates the same shape.
 */
export interface Failure {
  ok: false;
  kind: FailureKind;
  message: string;
  /** For `conflict`: the files that would conflict. */
  files?: string[] | undefined;
}

export function failure(kind: FailureKind, message: string, files?: string[]): Failure {
  return files ? { ok: false, kind, message, files } : { ok: false, kind, message };
}
