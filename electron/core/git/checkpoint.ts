import { IGNORE_SUBMODULES } from './git.js';
import { repoDriverOverrides } from './repoDrivers.js';
import { runGitOk } from './runGit.js';
import { stageWorktree } from './stageWorktree.js';

/** Who checkpoint commits are by: the agent's work, committed by the host, not by the user. */
export const FLOTILLA_IDENTITY = { name: 'Flotilla', email: 'flotilla@localhost' } as const;

export interface Checkpoint {
  commit: string;
  filesChanged: number;
  /** Folders that held a repository of their own, committed as plain files (see stageWorktree). */
  plainFolders: string[];
}

/**
 * Commits everything in the worktree (new, changed and deleted files; ignored files stay
 * out) to its branch, as "Flotilla <flotilla@localhost>" so it works on machines with no
 * git identity. Built from plumbing (write-tree, commit-tree, a compare-and-swap of the
 * branch) rather than `git commit`: no hook, editor, signing program or status run, and no
 * filter the repo's own config defines runs while staging. Repositories the agent made
 * inside the worktree are committed as plain files and never entered (stageWorktree).
 * Returns null when there was nothing to commit.
 */
export async function checkpointCommit(opts: {
  worktreePath: string;
  message: string;
  /** Paths (relative to the top level) never committed, e.g. the `.env` Flotilla copied in. */
  excludePaths?: readonly string[];
}): Promise<Checkpoint | null> {
  // From the top level, so a worktreePath inside a subfolder still commits the whole tree.
  const top = (await runGitOk(opts.worktreePath, ['rev-parse', '--show-toplevel'])).trim();
  const config = await repoDriverOverrides(top);
  const { plainFolders } = await stageWorktree(top, { excludePaths: opts.excludePaths ?? [], config });
  // Renames count once, as they will show in the diff.
  const staged = await runGitOk(top, ['diff', '--cached', IGNORE_SUBMODULES, '--no-ext-diff', '--no-textconv', '--find-renames', '--name-only', '-z'], { config });
  const filesChanged = staged.split('\0').filter((name) => name !== '').length;
  if (filesChanged === 0) return null;
  const parent = (await runGitOk(top, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  const tree = (await runGitOk(top, ['write-tree'], { config })).trim();
  const commit = (
    await runGitOk(top, ['commit-tree', '--no-gpg-sign', '-p', parent, '-F', '-', tree], {
      input: opts.message,
      config: [
        ['user.name', FLOTILLA_IDENTITY.name],
        ['user.email', FLOTILLA_IDENTITY.email],
      ],
    })
  ).trim();
  // HEAD is the task branch: it moves only if it is still where the checkpoint started.
  await runGitOk(top, ['update-ref', '-m', 'flotilla: checkpoint', 'HEAD', commit, parent]);
  return { commit, filesChanged, plainFolders };
}
