import fs from 'node:fs';
import path from 'node:path';
import type { ConfigOverrides } from './repoDrivers.js';
import { GitCommandError, runGit, runGitOk, type RunGitOptions } from './runGit.js';

/**
 * The name of the index entry that makes git see a nested repository's folder as a plain one.
 * It never exists on disk, so the `add --all` that follows drops it again.
 */
const PLAIN_FOLDER_MARK = '.flotilla-plain-folder';
/** Nested repositories inside nested repositories, each level one round: far past any real tree. */
const MAX_NESTING = 64;

export interface StagedWorktree {
  /**
   * Folders that held a git repository of their own (an agent's `git init`, a scaffolder's, a
   * `.git` file pointing elsewhere) and were staged as plain files, their `.git` left out.
   * Relative to the top level, without a trailing slash.
   */
  plainFolders: string[];
}

/**
 * Stages everything in the worktree at `top` (new, changed and deleted files; ignored ones
 * stay out) the way a checkpoint needs it, without ever treating a repository the agent made
 * as a repository:
 *
 * - An embedded repository (a folder with its own `.git`) is staged as plain files. Plain
 *   `git add --all` would record it as a gitlink, and from then on every `git status` or diff
 *   of the worktree would run git *inside* it, with its config, filters and fsmonitor (see
 *   git.ts); it would also refuse outright a fresh `git init` with no commit yet. So each such
 *   folder first gets a placeholder index entry: with a tracked path below it, git treats the
 *   folder as an ordinary one (its `.git` is skipped as in any folder, the repo's ignore rules
 *   apply), and `add --all` then drops the placeholder, which is not on disk.
 * - Submodules the base branch already has (gitlinks in the index) are left as they are:
 *   never staged, never looked into. A checkpoint does not move a submodule.
 *
 * `excludePaths` (relative, taken literally) are never staged, e.g. a `.env` Flotilla copied in.
 * `config` (the repo's driver overrides) goes with every call: even `write-tree` and `ls-files`
 * may re-hash a racily clean file through its clean filter. `indexFile`: stage into that index
 * instead of the worktree's own (a look at the worktree that must leave its index alone).
 *
 * A tracked file the agent replaced by something git cannot store (a FIFO, a socket) makes
 * `add` fail; it is staged as deleted instead, as git treats such a thing everywhere else
 * (never opened: a FIFO would block whoever reads it).
 */
export async function stageWorktree(
  top: string,
  opts: { excludePaths: readonly string[]; config: ConfigOverrides; indexFile?: string | undefined },
): Promise<StagedWorktree> {
  const { config } = opts;
  const git: RunGitOptions = { config, ...(opts.indexFile !== undefined ? { indexFile: opts.indexFile } : {}) };
  // Paths git ignores anyway stay out without an exclude, and must: `add` exits 1 on an
  // exclude pathspec naming an ignored file (the usual `.env` copied in, listed in .gitignore).
  const excludePaths = await notIgnored(top, opts.excludePaths, git);
  // `:(exclude,literal)` pathspecs: the names are taken as they are, never as globs.
  const excluding = (paths: readonly string[]) => ['.', ...paths.map((p) => `:(exclude,literal)${p}`)];
  // Without --directory, a nested repository is the only entry listed as a folder ("x/"); git
  // never lists what is inside a gitlink, so the first listing need not wait for them. Both
  // walk the index (~40 and ~80 ms at 50,000 files): side by side, not one after the other.
  const listNested = (pathspecs: readonly string[]) =>
    runGitOk(top, ['ls-files', '-z', '--others', '--exclude-standard', '--', ...pathspecs], git).then(nestedRepositories);
  const [gitlinks, firstNested] = await Promise.all([gitlinkPaths(top, git), listNested(excluding(excludePaths))]);
  const pathspecs = excluding([...excludePaths, ...gitlinks]);
  const plainFolders: string[] = [];
  let markBlob: string | null = null;
  for (let round = 0; ; round++) {
    const nested = round === 0 ? firstNested : await listNested(pathspecs);
    if (nested.length === 0) break;
    if (round === MAX_NESTING) throw new Error(`repositories nested more than ${MAX_NESTING} deep in ${top}; not committing them`);
    markBlob ??= (await runGitOk(top, ['hash-object', '-w', '--stdin'], { ...git, input: '' })).trim();
    const records = nested.map((folder) => `100644 ${markBlob}\t${folder}/${PLAIN_FOLDER_MARK}\0`).join('');
    await runGitOk(top, ['update-index', '--add', '-z', '--index-info'], { ...git, input: records });
    plainFolders.push(...nested);
  }
  const added = await runGit(top, ['add', '--all', '--', ...pathspecs], git);
  if (added.exitCode !== 0) {
    // Untracked FIFOs and sockets git skips by itself; tracked ones it refuses to add.
    const unstorable = await unstorableTrackedPaths(top, git);
    if (unstorable.length === 0) throw new GitCommandError(['add'], added);
    await runGitOk(top, ['update-index', '--force-remove', '-z', '--stdin'], { ...git, input: unstorable.map((p) => `${p}\0`).join('') });
    await runGitOk(top, ['add', '--all', '--', ...pathspecs], git);
  }
  return { plainFolders };
}

/**
 * Tracked paths (changed since the index) that are now neither a file, a symlink nor a folder:
 * a FIFO, a socket. Only lstat'ed, never opened.
 */
async function unstorableTrackedPaths(top: string, git: RunGitOptions): Promise<string[]> {
  const modified = await runGitOk(top, ['ls-files', '-z', '--modified'], git);
  const paths = [...new Set(modified.split('\0').filter(Boolean))];
  return paths.filter((file) => {
    try {
      const stat = fs.lstatSync(path.join(top, file));
      return !(stat.isFile() || stat.isSymbolicLink() || stat.isDirectory());
    } catch {
      return false;
    }
  });
}

/** The folders `ls-files -z --others` lists as folders ("x/"): repositories of their own. */
function nestedRepositories(untracked: string): string[] {
  return untracked
    .split('\0')
    .filter((entry) => entry.endsWith('/'))
    .map((entry) => entry.slice(0, -1));
}

/** The paths git does not ignore (tracked ones never count as ignored), in order. */
async function notIgnored(top: string, paths: readonly string[], git: RunGitOptions): Promise<string[]> {
  if (paths.length === 0) return [];
  // Exit 1: none is ignored; 0: some are, listed NUL-separated.
  const run = await runGit(top, ['check-ignore', '-z', '--stdin'], { ...git, input: paths.join('\0') });
  if (run.exitCode > 1) throw new Error(`git check-ignore failed (exit ${run.exitCode}): ${run.stderr.trim()}`);
  const ignored = new Set(run.stdout.split('\0').filter(Boolean));
  return paths.filter((p) => !ignored.has(p));
}

/** Paths of the gitlinks (submodules) in the index. */
async function gitlinkPaths(top: string, git: RunGitOptions): Promise<string[]> {
  // `--stage -z`: "<mode> <object> <stage>\t<path>\0"; gitlinks have mode 160000.
  const out = await runGitOk(top, ['ls-files', '--stage', '-z'], git);
  const paths: string[] = [];
  for (const entry of out.split('\0')) {
    if (!entry.startsWith('160000 ')) continue;
    const tab = entry.indexOf('\t');
    if (tab > 0) paths.push(entry.slice(tab + 1));
  }
  return paths;
}
