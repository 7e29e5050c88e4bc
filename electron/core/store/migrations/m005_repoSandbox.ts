/**
 * Per-repo sandbox settings: whether the setup and cleanup scripts (which now run in the task's
 * sandbox) get network, the host unix sockets and the paths of the user's home its commands may
 * use. Lists are JSON arrays of absolute paths.
 *
 * Repos that already have a setup script keep network for their scripts: they were configured
 * when scripts ran on the host, with network, and such a script is typically `npm ci` or
 * `pip install`; taking the network away would break their next task. Every other repo starts
 * without it (the user turns it on in Settings or with `repo config --script-network on`).
 */
export const m005RepoSandbox = `
ALTER TABLE repos ADD COLUMN script_network INTEGER NOT NULL DEFAULT 0;
ALTER TABLE repos ADD COLUMN unix_sockets TEXT NOT NULL DEFAULT '[]';
ALTER TABLE repos ADD COLUMN home_read_only_paths TEXT NOT NULL DEFAULT '[]';
UPDATE repos SET script_network = 1 WHERE trim(setup_script, ' ' || char(9, 10, 13)) <> '';
`;
