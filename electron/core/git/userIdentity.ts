import { FLOTILLA_IDENTITY } from './checkpoint.js';
import type { ConfigOverrides } from './repoDrivers.js';
import { runGit, runGitOk } from './runGit.js';

/**
 * Merge commits are the user's (they asked for the merge), so their git identity is used;
 * on a machine without one, Flotilla's stands in rather than failing.
 */
export async function identityFallback(root: string): Promise<ConfigOverrides> {
  const [name, email] = await Promise.all([
    runGit(root, ['config', '--get', 'user.name']),
    runGit(root, ['config', '--get', 'user.email']),
  ]);
  const fallback: ConfigOverrides = [];
  if (name.exitCode !== 0 || name.stdout.trim() === '') fallback.push(['user.name', FLOTILLA_IDENTITY.name]);
  if (email.exitCode !== 0 || email.stdout.trim() === '') fallback.push(['user.email', FLOTILLA_IDENTITY.email]);
  return fallback;
}

/** "Name <email> <unix seconds> <+zone>": the committer line of a commit made now, by the user. */
export async function committerIdent(root: string): Promise<string> {
  return (await runGitOk(root, ['var', 'GIT_COMMITTER_IDENT'], { config: await identityFallback(root) })).trim();
}
