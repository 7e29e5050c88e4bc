import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import { localBranches } from './refNames.js';
import { firstLines, runGit } from './runGit.js';
import { listWorktrees } from './worktreeList.js';
import { canonicalPath } from '../util/canonicalPath.js';

export type RepoInspection =
  | {
      ok: true;
      root: string;
      name: string;
      currentBranch: string;
      headCommit: string;
      /** The git dir every worktree of the repo shares (realpath): the key of its lock. */
      commonDir: string;
    }
  | Failure;

/**
 * What Flotilla needs to know about the repo at `inputPath` (any folder inside its working
 * tree): its top level, name, current branch ('' when HEAD is detached), HEAD commit and
 * common git dir. Fails with `repo_missing` (no such path), `not_a_repo` (not in a working
 * tree: bare repos, .git folders and linked worktrees included) or `no_commits`.
 * Two git calls, run at once: task creation pays for them before `git worktree add`.
 */
export async function inspectRepo(inputPath: string): Promise<RepoInspection> {
  const start = path.resolve(expandHome(inputPath));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(start);
  } catch {
    return failure(
      'repo_missing',
      `${start} does not exist. Check the path; if the repo was moved or deleted, add it again from its new place.`,
    );
  }
  if (!stat.isDirectory()) return failure('not_a_repo', `${start} is a file, not a folder: choose the folder of a git repository.`);
  // git prints the paths below one per line: a line break in one could not be told apart.
  if (start.includes('\n')) return failure('not_a_repo', `${JSON.stringify(start)} has a line break in its path; rename or move the folder.`);

  // rev-parse answers one line per question, in order, and stops at the first it cannot
  // answer: how far it got tells a bare repo, a .git folder and an unborn HEAD apart.
  const [probe, symbolic] = await Promise.all([
    runGit(start, [
      'rev-parse',
      '--path-format=absolute',
      '--is-bare-repository',
      '--is-inside-work-tree',
      '--show-toplevel',
      '--git-common-dir',
      '--git-dir',
      '--verify',
      '--quiet',
      'HEAD^{commit}',
    ]),
    // Not --short: it would print "heads/x" when a tag is also called x.
    runGit(start, ['symbolic-ref', '--quiet', 'HEAD']),
  ]);
  const [isBare = '', isInsideWorkTree, topLevel, commonDir, gitDir, head] = probe.stdout.split('\n');
  // The host never opens a bare repository it was not pointed at explicitly (git.ts), so git
  // refuses it rather than answering "true" here.
  if (isBare === 'true' || /cannot use bare repository/i.test(probe.stderr)) {
    return failure('not_a_repo', `${start} is a bare repository (it has no working tree). Clone it (\`git clone ${start} <folder>\`) and add the clone.`);
  }
  if (isBare === '') {
    const why = /not a git repository/i.test(probe.stderr) ? 'is not inside a git repository' : `cannot be read by git (${firstLines(probe.stderr, 2)})`;
    return failure('not_a_repo', `${start} ${why}. Run \`git init\` there (and make a first commit), or choose a repository's folder.`);
  }
  if (isInsideWorkTree !== 'true') {
    return failure('not_a_repo', `${start} is inside a repository's .git folder, not its working tree. Choose the folder that contains .git.`);
  }
  if (!topLevel || !commonDir || !gitDir) {
    return failure('not_a_repo', `${start} cannot be read by git (${firstLines(probe.stderr, 2) || 'no top level'}).`);
  }
  const root = canonicalPath(topLevel);
  const common = canonicalPath(commonDir);
  if (canonicalPath(gitDir) !== common) return linkedWorktreeFailure(root);
  if (probe.exitCode !== 0 || !head) {
    return failure(
      'no_commits',
      `${root} has no commits yet. Make a first commit (e.g. \`git commit --allow-empty -m "Initial commit"\`), then try again.`,
    );
  }
  return { ok: true, root, name: path.basename(root), currentBranch: branchOfSymref(symbolic), headCommit: head, commonDir: common };
}

/** Local branches of the repo and the one checked out at `repoPath` ('' when detached). */
export async function listBranches(repoPath: string): Promise<{ branches: string[]; current: string }> {
  const [branches, current] = await Promise.all([localBranches(repoPath), currentBranchOf(repoPath)]);
  return { branches, current };
}

/** The branch checked out at `cwd`, or '' when HEAD is detached. */
export async function currentBranchOf(cwd: string): Promise<string> {
  return branchOfSymref(await runGit(cwd, ['symbolic-ref', '--quiet', 'HEAD']));
}

function branchOfSymref(run: { exitCode: number; stdout: string }): string {
  const ref = run.stdout.trim();
  return run.exitCode === 0 && ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '';
}

/**
 * A linked worktree (`git worktree add`) is not taken as a repo: Flotilla makes its own
 * worktrees next to it, and it disappears with `git worktree remove`. The message names the
 * main working tree to add instead (the first entry of `git worktree list`).
 */
async function linkedWorktreeFailure(root: string): Promise<Failure> {
  const main = await listWorktrees(root).then((entries) => entries[0], () => undefined);
  const what = `${root} is a linked worktree (made by \`git worktree add\`), not a repository's main folder.`;
  if (!main) return failure('not_a_repo', `${what} Add the repository's main folder instead.`);
  if (main.isBare) {
    return failure('not_a_repo', `${what} Its repository ${main.path} is bare: clone it (\`git clone ${main.path} <folder>\`) and add the clone.`);
  }
  return failure('not_a_repo', `${what} Add its repository instead: ${main.path}`);
}

function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return p;
}
