/**
 * Merge and review: the pull request a task opened (its URL), and when its worktree was last
 * archived before a removal (ms since epoch; null once the archive is pruned).
 */
export const m006TaskArchive = `
ALTER TABLE tasks ADD COLUMN pr_url TEXT;
ALTER TABLE tasks ADD COLUMN archived_at INTEGER;
`;
