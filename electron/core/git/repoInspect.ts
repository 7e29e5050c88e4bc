import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import { localBranches } from './refNames.js';
import { firstLines, runGit, runGitOk } from './runGit.js';

export type RepoInspection =
  | { ok: true; root: string; name: string; currentBranch: string; headCommit: string }
  | Failure;

/**
 * What Flotilla needs to know about the repo at `inputPath` (any folder inside its working
 * tree): its top level, name, current branch ('' when HEAD is detached) and HEAD commit.
 * Fails with `repo_missing` (no such path), `not_a_repo` (not in a working tree, bare repos
 * included) or `no_commits`.
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

  const probe = await runGit(start, ['rev-parse', '--is-bare-repository', '--is-inside-work-tree']);
  if (probe.exitCode !== 0) {
    const why = /not a git repository/i.test(probe.stderr) ? 'is not inside a git repository' : `cannot be read by git (${firstLines(probe.stderr, 2)})`;
    return failure('not_a_repo', `${start} ${why}. Run \`git init\` there (and make a first commit), or choose a repository's folder.`);
  }
  const [isBare, isInsideWorkTree] = probe.stdout.trim().split('\n');
  if (isBare === 'true') {
    return failure('not_a_repo', `${start} is a bare repository (it has no working tree). Clone it (\`git clone ${start} <folder>\`) and add the clone.`);
  }
  if (isInsideWorkTree !== 'true') {
    return failure('not_a_repo', `${start} is inside a repository's .git folder, not its working tree. Choose the folder that contains .git.`);
  }

  const root = fs.realpathSync((await runGitOk(start, ['rev-parse', '--show-toplevel'])).trim());
  const head = await runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.exitCode !== 0) {
    return failure(
      'no_commits',
      `${root} has no commits yet. Make a first commit (e.g. \`git commit --allow-empty -m "Initial commit"\`), then try again.`,
    );
  }
  return {
    ok: true,
    root,
    name: path.basename(root),
    currentBranch: await currentBranchOf(root),
    headCommit: head.stdout.trim(),
  };
}

/** Local branches of the repo and the one checked out at `repoPath` ('' when detached). */
export async function listBranches(repoPath: string): Promise<{ branches: string[]; current: string }> {
  return { branches: await localBranches(repoPath), current: await currentBranchOf(repoPath) };
}

/** The branch checked out at `cwd`, or '' when HEAD is detached. */
export async function currentBranchOf(cwd: string): Promise<string> {
  // Not --short: it would print "heads/x" when a tag is also called x.
  const run = await runGit(cwd, ['symbolic-ref', '--quiet', 'HEAD']);
  const ref = run.stdout.trim();
  return run.exitCode === 0 && ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '';
}

function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return p;
}
