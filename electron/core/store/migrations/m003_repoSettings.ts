/** Per-repo settings: kept in FLOTILLA_HOME, never in the repo (a repo cannot configure itself). */
export const m003RepoSettings = `
ALTER TABLE repos ADD COLUMN setup_script TEXT NOT NULL DEFAULT '';
ALTER TABLE repos ADD COLUMN cleanup_script TEXT NOT NULL DEFAULT '';
ALTER TABLE repos ADD COLUMN copy_files TEXT NOT NULL DEFAULT '[]';
ALTER TABLE repos ADD COLUMN base_branch TEXT;
`;
