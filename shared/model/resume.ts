/** What a resumed task is told when the user gives no message of their own. */
export const DEFAULT_RESUME_MESSAGE =
  'Continue where you left off. Check the state of the worktree first: the last command may or may not have finished.';
