import fs from 'node:fs';
import { failure, type Failure } from '../../../shared/contract.js';
import { gitDirsOf } from './gitDirs.js';
import { branchCommit, branchRef, describeBranches, isValidBranchName, localBranches } from './refNames.js';
import { repoDriverOverrides, type ConfigOverrides } from './repoDrivers.js';
import { inspectRepo } from './repoInspect.js';
import { withRepoLock } from './repoLock.js';
import { firstLines, runGit, runGitOk } from './runGit.js';
import { replayOnto } from './rebase.js';
import { identityFallback } from './userIdentity.js';
import { listWorktrees } from './worktreeList.js';
import type { MergeStrategy } from '../../../shared/model/task.js';

export type MergeResult = { ok: true; commit: string } | Failure;

/**
 * Merges the task branch into `baseBranch`, as a merge commit (two parents), a squash (one
 * parent, the task's changes as one commit) or a rebase (the task's commits replayed onto the
 * base, see rebase.ts: linear history). The user's checkout is never left mid-merge or
 * mid-rebase, stashed or reset:
 * 1. the merged tree is computed without any working tree (`git merge-tree --write-tree`);
 *    conflicts end here with `conflict` and nothing changed;
 * 2. the commit is built from that tree (`git commit-tree`; for a rebase, one per task commit);
 * 3. the base branch moves to it: a compare-and-swap of the ref when no worktree has it
 *    checked out, else a fast-forward inside the worktree that has it, which git refuses
 *    (`checkout_dirty`, nothing changed) when uncommitted edits there would be overwritten.
 */
export async function mergeTaskBranch(opts: {
  repoPath: string;
  branch: string;
  baseBranch: string;
  strategy: MergeStrategy;
  /** The merge or squash commit's message (a rebase keeps each commit's own). */
  message: string;
  /** The task branch's tip the caller reviewed: a branch that moved since is refused (`changed`). */
  expectedTip?: string;
}): Promise<MergeResult> {
  const repo = await inspectRepo(opts.repoPath);
  if (!repo.ok) return repo;
  const root = repo.root;
  const { branch, baseBranch } = opts;
  for (const name of [branch, baseBranch]) {
    if (!(await isValidBranchName(root, name))) return failure('bad_branch', `"${name}" is not a valid branch name.`);
  }
  if (branch === baseBranch) return failure('invalid_state', `Cannot merge ${branch} into itself.`);

  const { commonDir } = await gitDirsOf(root);
  return withRepoLock(commonDir, async (): Promise<MergeResult> => {
    const base = await branchCommit(root, baseBranch);
    if (!base) {
      return failure(
        'bad_branch',
        `Base branch "${baseBranch}" does not exist in ${root} (deleted or renamed?). Branches: ${describeBranches(await localBranches(root))}.`,
      );
    }
    const tip = await branchCommit(root, branch);
    if (!tip) return failure('bad_branch', `The task branch "${branch}" does not exist in ${root}; it may have been deleted.`);
    if (opts.expectedTip !== undefined && opts.expectedTip !== tip) {
      return failure(
        'changed',
        `${branch} moved since you looked at it (now ${tip.slice(0, 10)}, you reviewed ${opts.expectedTip.slice(0, 10)}); nothing was changed. Review it again, then merge.`,
      );
    }
    const isMerged = await runGit(root, ['merge-base', '--is-ancestor', tip, base]);
    if (isMerged.exitCode === 0) {
      return failure('invalid_state', `Nothing to merge: ${branch} has no commits that ${baseBranch} does not already have.`);
    }

    // 1. The result, computed in the object store only (merge and filter drivers the repo's
    //    own config defines are off: see repoDriverOverrides).
    const drivers = await repoDriverOverrides(root);
    const computed = await runGit(root, ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', base, tip], {
      config: drivers,
    });
    const [tree = '', ...conflicted] = computed.stdout.split('\0').filter((field) => field !== '');
    if (computed.exitCode === 1) {
      const files = [...new Set(conflicted)];
      return failure(
        'conflict',
        `Merging ${branch} into ${baseBranch} would conflict in ${files.length} file(s): ${files.join(', ')}. ` +
          `Nothing was changed. Resolve it on the task branch (e.g. merge ${baseBranch} into it in its worktree), then merge again.`,
        files,
      );
    }
    if (computed.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(tree)) {
      return failure('git_error', `Could not merge ${branch} into ${baseBranch}: ${firstLines(computed.stderr)}`);
    }
    if (opts.strategy !== 'merge') {
      const baseTree = (await runGitOk(root, ['rev-parse', '--verify', `${base}^{tree}`])).trim();
      if (baseTree === tree) {
        return failure('invalid_state', `Nothing to merge: ${baseBranch} already has every change of ${branch}.`);
      }
    }

    // 2. The commit(s): base first, then (for a merge) the task branch.
    const built = await buildCommit({ root, base, tip, tree, drivers, strategy: opts.strategy, message: opts.message });
    if (!built.ok) return built;
    const { commit } = built;

    // 3. Move the base branch.
    const holder = (await listWorktrees(root)).find((entry) => entry.branch === branchRef(baseBranch) && !entry.isBare);
    if (!holder || !fs.existsSync(holder.path)) {
      const moved = await runGit(root, [
        'update-ref',
        '-m',
        `flotilla: ${opts.strategy} ${branch}`,
        branchRef(baseBranch),
        commit,
        base,
      ]);
      if (moved.exitCode !== 0) {
        return failure('invalid_state', `${baseBranch} changed while merging, so nothing was changed; merge again. (${firstLines(moved.stderr, 1)})`);
      }
      return { ok: true, commit };
    }
    return fastForwardCheckout(holder.path, baseBranch, commit, drivers);
  });
}

/**
 * Fast-forwards the branch checked out at `checkout` to `commit`. Git checks every file
 * before writing any, so a refusal leaves the checkout exactly as it was; uncommitted
 * edits to files the merge does not touch are carried along.
 */
async function fastForwardCheckout(
  checkout: string,
  baseBranch: string,
  commit: string,
  drivers: ConfigOverrides,
): Promise<MergeResult> {
  const args = ['merge', '--ff-only', '--no-stat', '--no-edit', '--no-verify', '--no-autostash', '--quiet', commit];
  const ff = await runGit(checkout, args, { config: drivers });
  if (ff.exitCode === 0) {
    const now = await branchCommit(checkout, baseBranch);
    if (now !== commit) return failure('git_error', `git merged in ${checkout} but ${baseBranch} is at ${now ?? 'nothing'}, not ${commit}.`);
    return { ok: true, commit };
  }
  const files = indentedLines(ff.stderr);
  if (/local changes to the following files would be overwritten/i.test(ff.stderr)) {
    return failure(
      'checkout_dirty',
      `Your checkout at ${checkout} has uncommitted changes to ${files.join(', ')}; commit or stash them, then merge again.`,
      files,
    );
  }
  if (/untracked working tree files would be (overwritten|removed)/i.test(ff.stderr)) {
    return failure(
      'checkout_dirty',
      `Your checkout at ${checkout} has untracked files the merge would overwrite: ${files.join(', ')}; move or remove them, then merge again.`,
      files,
    );
  }
  if (/not possible to fast-forward/i.test(ff.stderr)) {
    return failure('invalid_state', `${baseBranch} changed while merging, so nothing was changed; merge again.`);
  }
  if (/MERGE_HEAD exists|not concluded your merge|unmerged files|unresolved conflict/i.test(ff.stderr)) {
    return failure('checkout_dirty', `Your checkout at ${checkout} is in the middle of a merge; finish or abort it, then merge again.`);
  }
  return failure('git_error', `Could not update ${baseBranch} in ${checkout}: ${firstLines(ff.stderr)}`);
}

/** The file names git lists indented with a tab under an error message. */
function indentedLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('\t'))
    .map((line) => line.trim());
}

async function buildCommit(opts: {
  root: string;
  base: string;
  tip: string;
  tree: string;
  drivers: ConfigOverrides;
  strategy: MergeStrategy;
  message: string;
}): Promise<MergeResult> {
  const { root, base, tip, tree } = opts;
  if (opts.strategy === 'rebase') return replayOnto({ root, base, tip, finalTree: tree, drivers: opts.drivers });
  const parents = opts.strategy === 'merge' ? ['-p', base, '-p', tip] : ['-p', base];
  // -F -: the message may be long, and starts with whatever the user typed.
  const commit = (
    await runGitOk(root, ['commit-tree', '--no-gpg-sign', ...parents, '-F', '-', tree], { input: opts.message, config: await identityFallback(root) })
  ).trim();
  return { ok: true, commit };
}
