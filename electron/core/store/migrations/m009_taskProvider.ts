/**
 * The provider profile a task was created for (`task new --provider`; null: the default in
 * effect at each turn), and whether its model was chosen for it (`--model`) rather than
 * following the provider's.
 */
export const m009TaskProvider = `
ALTER TABLE tasks ADD COLUMN provider TEXT;
ALTER TABLE tasks ADD COLUMN is_model_pinned INTEGER NOT NULL DEFAULT 0;
`;
