/** Protected paths: per-repo glob patterns (JSON array) a task's diff may touch only with the user's approval to merge. */
export const m007ProtectedPaths = `
ALTER TABLE repos ADD COLUMN protected_paths TEXT NOT NULL DEFAULT '[]';
`;
