/** Per-task sandbox policy, what the user approved for the task, and the request waiting on them. */
export const m004Policy = `
ALTER TABLE tasks ADD COLUMN policy TEXT;
ALTER TABLE tasks ADD COLUMN grants TEXT;
ALTER TABLE tasks ADD COLUMN pending_approval TEXT;
`;
