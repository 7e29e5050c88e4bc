import { repoDriverOverrides } from './repoDrivers.js';
import { runGitOk } from './runGit.js';

/** Who checkpoint commits are by: the agent's work, committed by the host, not by the user. */
export const FLOTILLA_IDENTITY = { name: 'Flotilla', email: 'flotilla@localhost' } as const;

/**
 * Commits everything in the worktree (new, changed and deleted files; ignored files stay
 * out) to its branch, as "Flotilla <flotilla@localhost>" so it works on machines with no
 * git identity. No hook runs, nor any filter the repo's own config defines (`add` and
 * `commit` both run clean filters). Returns null when there was nothing to commit.
 */
export async function checkpointCommit(opts: {
  worktreePath: string;
  message: string;
  /** Paths (relative to the top level) never committed, e.g. the `.env` Flotilla copied in. */
  excludePaths?: readonly string[];
}): Promise<{ commit: string; filesChanged: number } | null> {
  // From the top level, so a worktreePath inside a subfolder still commits the whole tree.
  const top = (await runGitOk(opts.worktreePath, ['rev-parse', '--show-toplevel'])).trim();
  const config = await repoDriverOverrides(top);
  // `:(exclude,literal)` pathspecs: the names are taken as they are, never as globs.
  const excludes = (opts.excludePaths ?? []).map((p) => `:(exclude,literal)${p}`);
  await runGitOk(top, ['add', '--all', '--', '.', ...excludes], { config });
  // Renames count once, as they will show in the diff.
  const staged = await runGitOk(top, ['diff', '--cached', '--no-ext-diff', '--no-textconv', '--find-renames', '--name-only', '-z'], { config });
  const filesChanged = staged.split('\0').filter((name) => name !== '').length;
  if (filesChanged === 0) return null;
  await runGitOk(top, ['commit', '--no-verify', '--no-gpg-sign', '--allow-empty-message', '--quiet', '--message', opts.message], {
    config: [...config, ['user.name', FLOTILLA_IDENTITY.name], ['user.email', FLOTILLA_IDENTITY.email]],
  });
  const commit = (await runGitOk(top, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  return { commit, filesChanged };
}
