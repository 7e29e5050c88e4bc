import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TaskDiff } from '../../../shared/model/diff.js';
import { commitDiff } from './branchDiff.js';
import { repoDriverOverrides } from './repoDrivers.js';
import { runGitOk } from './runGit.js';
import { stageWorktree } from './stageWorktree.js';

/**
 * What the worktree at `worktreePath` holds that its branch tip does not: tracked changes and
 * untracked files (ignored ones and `excludePaths` stay out), file by file in the same shape
 * as a branch diff (counts, capped patches, sensitivity). `fromCommit` is the tip; `toCommit`
 * is the tree of the worktree as staged (a tree, not a commit: nothing was committed).
 *
 * The worktree is staged exactly as a checkpoint would stage it (stageWorktree: nested
 * repositories as plain folders, symlinks stored as links and never followed, FIFOs skipped),
 * but into a private copy of the index (GIT_INDEX_FILE in a fresh 0700 temp folder), so the
 * worktree's own index, which the checkpoints and `git status` rely on, is never written. The
 * copy keeps the index's stat data: only files that changed are read and hashed. The blobs it
 * writes are unreferenced objects, left for git's gc like any abandoned `git add`.
 */
export async function worktreeDiff(opts: { worktreePath: string; excludePaths: readonly string[] }): Promise<TaskDiff> {
  const top = (await runGitOk(opts.worktreePath, ['rev-parse', '--show-toplevel'])).trim();
  const config = await repoDriverOverrides(top);
  const tip = (await runGitOk(top, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  const realIndex = path.resolve(top, (await runGitOk(top, ['rev-parse', '--git-path', 'index'])).trim());
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'flotilla-look-'));
  try {
    const indexFile = path.join(scratch, 'index');
    if (isRegularFile(realIndex)) {
      await fs.promises.copyFile(realIndex, indexFile);
    } else {
      await runGitOk(top, ['read-tree', tip], { config, indexFile });
    }
    await stageWorktree(top, { excludePaths: opts.excludePaths, config, indexFile });
    const tree = (await runGitOk(top, ['write-tree'], { config, indexFile })).trim();
    return { fromCommit: tip, toCommit: tree, files: await commitDiff(top, tip, tree) };
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}

/** True for a plain file (the index is git's; a link or anything else is not copied). */
function isRegularFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}
