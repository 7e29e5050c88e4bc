import { runGitOk } from './runGit.js';
import { canonicalPath } from '../util/canonicalPath.js';

export interface GitDirs {
  /** Top level of the working tree `cwd` is in (realpath). */
  topLevel: string;
  /** This worktree's git dir: `<repo>/.git` for the main one, `<repo>/.git/worktrees/<name>` for linked ones. */
  gitDir: string;
  /** The git dir every worktree of the repo shares (the main repo's `.git`). */
  commonDir: string;
}

/** Where git keeps the metadata of the working tree at `cwd`. Throws when it is not one. */
export async function gitDirsOf(cwd: string): Promise<GitDirs> {
  const out = await runGitOk(cwd, [
    'rev-parse',
    '--path-format=absolute',
    '--show-toplevel',
    '--git-dir',
    '--git-common-dir',
  ]);
  const [topLevel, gitDir, commonDir] = out.replace(/\n$/, '').split('\n');
  if (!topLevel || !gitDir || !commonDir) throw new Error(`unexpected output of git rev-parse in ${cwd}: ${out}`);
  return { topLevel: canonicalPath(topLevel), gitDir: canonicalPath(gitDir), commonDir: canonicalPath(commonDir) };
}
