import { runGit } from './runGit.js';

export type ConfigOverrides = Array<[key: string, value: string]>;

/** Config scopes that belong to the repository itself rather than to the user. */
const REPO_SCOPES = new Set(['local', 'worktree']);

/**
 * Settings that switch off the filter and merge drivers defined in the repo's own config
 * (`.git/config`, `config.worktree`, and files they include). A driver is a program git runs
 * for files whose .gitattributes name it, during checkout and `add` (filters) or a merge
 * (merge drivers); a repo's config is as untrusted as its hooks. Drivers from the user's
 * global config (git-lfs, typically) still run: the user installed them.
 * - filters: empty clean/smudge/process commands mean "no filter", not required;
 * - merge drivers: `false`, so a file both sides changed is reported as a conflict
 *   instead of being merged by the repo's program.
 */
export async function repoDriverOverrides(cwd: string): Promise<ConfigOverrides> {
  const run = await runGit(cwd, [
    'config',
    '--show-scope',
    '--includes',
    '-z',
    '--get-regexp',
    '^(filter|merge)\\..+\\.(clean|smudge|process|driver)$',
  ]);
  // Exit 1: no such keys. Anything else: let the command that follows fail on its own.
  if (run.exitCode !== 0) return [];
  const overrides = new Map<string, string>();
  // -z: "<scope>\0<key>\n<value>\0" per entry.
  const fields = run.stdout.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i] ?? '';
    const key = (fields[i + 1] ?? '').split('\n')[0] ?? '';
    if (!REPO_SCOPES.has(scope)) continue;
    const section = key.slice(0, key.indexOf('.'));
    const name = key.slice(key.indexOf('.') + 1, key.lastIndexOf('.'));
    if (section === 'filter') {
      for (const command of ['clean', 'smudge', 'process']) overrides.set(`filter.${name}.${command}`, '');
      overrides.set(`filter.${name}.required`, 'false');
    } else if (section === 'merge') {
      overrides.set(`merge.${name}.driver`, 'false');
    }
  }
  return [...overrides];
}
