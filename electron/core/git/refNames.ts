import { runGit, runGitOk } from './runGit.js';

/**
 * True when `name` is a valid local branch name, as git itself judges it. Names that git
 * could read as an option (leading '-') or would expand (`@{-1}` = the previous branch)
 * are refused before git sees them, so a checked name is always safe to pass on.
 */
export async function isValidBranchName(cwd: string, name: string): Promise<boolean> {
  if (name === '' || name.startsWith('-') || name.includes('@{') || name.trim() !== name) return false;
  const run = await runGit(cwd, ['check-ref-format', '--branch', name]);
  // --branch prints the name it would use; anything else means git rewrote it.
  return run.exitCode === 0 && run.stdout.replace(/\n$/, '') === name;
}

/** The full ref of a local branch. Full refs cannot be mistaken for tags, options or paths. */
export function branchRef(name: string): string {
  return `refs/heads/${name}`;
}

/** The commit a local branch points at, or null when there is no such branch. */
export async function branchCommit(cwd: string, name: string): Promise<string | null> {
  const run = await runGit(cwd, ['rev-parse', '--verify', '--quiet', `${branchRef(name)}^{commit}`]);
  return run.exitCode === 0 ? run.stdout.trim() : null;
}

/** All local branch names, sorted as git sorts refs. */
export async function localBranches(cwd: string): Promise<string[]> {
  const out = await runGitOk(cwd, ['for-each-ref', '--format=%(refname)', 'refs/heads/']);
  return out
    .split('\n')
    .filter((line) => line.startsWith('refs/heads/'))
    .map((line) => line.slice('refs/heads/'.length));
}

/** "main, dev, feature/x, … (12 in all)" — for error messages that should help pick a branch. */
export function describeBranches(branches: string[], max = 8): string {
  if (branches.length === 0) return 'none';
  const shown = branches.slice(0, max).join(', ');
  return branches.length > max ? `${shown}, … (${branches.length} in all)` : shown;
}
