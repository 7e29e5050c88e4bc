import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every git process the host starts goes through `runGit` and is hardened here, in one place:
 * a repository the user added, a branch an agent wrote, or a repository the agent planted
 * inside its worktree must not be able to make the host run a program.
 *
 * What the user's repo can plant, and what turns it off:
 * - hooks (`.git/hooks/*`, `core.hooksPath`): hooksPath points at an empty folder we own;
 * - `core.fsmonitor` (runs a command on every index refresh): forced off;
 * - pagers, external diff and textconv: pager is `cat`, `diff.external` empty (diff/log
 *   calls also pass `--no-ext-diff --no-textconv`);
 * - `core.attributesFile`: /dev/null (the repo's own .gitattributes still apply);
 * - signing (would run gpg.program): off for commits, merges and log;
 * - autostash (would stash the user's edits during a merge): off;
 * - auto gc / maintenance (would leave a detached git running after we return): off;
 * - filter and merge drivers the repo's own config defines: off, per call, where git would
 *   run them (see repoDrivers.ts: the names are only known by reading the repo's config).
 *
 * What the agent can plant inside its worktree: a nested repository (`git init` in a folder,
 * a `.git` file pointing at a git dir it made, a submodule it populated) with its own config,
 * hooks and filters, which the sandbox cannot stop since the worktree is the agent's to write.
 * Host git never enters one:
 * - no recursion into submodules: `submodule.recurse=false`, `fetch.recurseSubmodules=false`,
 *   `diff.submodule=short`, no status summary; and every call that compares the working tree
 *   (status, `diff` against it) passes `--ignore-submodules=all` (IGNORE_SUBMODULES), because a
 *   `.gitmodules` the agent writes (`submodule.<name>.ignore = none`) overrides the config one;
 * - embedded repositories are never staged as gitlinks: the checkpoint commits their files as
 *   plain files (stageWorktree.ts), so no gitlink the agent made ever exists to recurse into;
 * - a bare repository inside the worktree is never discovered (`safe.bareRepository=explicit`);
 * - git's own children (a submodule's status, if one ever ran) inherit these settings, which
 *   travel in the environment and beat any config file.
 * The environment loses every GIT_* variable the host inherited (GIT_DIR, GIT_WORK_TREE,
 * GIT_INDEX_FILE, GIT_CONFIG_*, GIT_EXTERNAL_DIFF…) and the pager/editor variables.
 */
export function hardeningConfig(): string[] {
  return [
    'core.fsmonitor=false',
    `core.hooksPath=${noHooksDir()}`,
    'core.pager=cat',
    'diff.external=',
    'core.attributesFile=/dev/null',
    'core.quotePath=false',
    'color.ui=false',
    'commit.gpgSign=false',
    'tag.gpgSign=false',
    'merge.verifySignatures=false',
    'log.showSignature=false',
    'merge.autoStash=false',
    'submodule.recurse=false',
    'fetch.recurseSubmodules=false',
    'diff.ignoreSubmodules=all',
    'diff.submodule=short',
    'status.submoduleSummary=false',
    'safe.bareRepository=explicit',
    'advice.addEmbeddedRepo=false',
    'gc.auto=0',
    'maintenance.auto=false',
    'diff.noprefix=false',
    'diff.mnemonicPrefix=false',
  ];
}

/**
 * For every call that compares the working tree (status, diff-files, `diff` without two
 * commits): never look inside a submodule or gitlink, whatever a `.gitmodules` says.
 */
export const IGNORE_SUBMODULES = '--ignore-submodules=all';

/** The settings as `git -c k=v …` arguments, put before the subcommand of every host git call. */
export function hardeningArgs(): string[] {
  return hardeningConfig().flatMap((entry) => ['-c', entry]);
}

/** Variables (upper case) we add back after dropping the inherited GIT_* ones. */
const FORCED_ENV = {
  // Never wait for a password on a terminal nobody is looking at.
  GIT_TERMINAL_PROMPT: '0',
  // /etc/gitconfig is not the user's and not the repo's: ignore it.
  GIT_CONFIG_NOSYSTEM: '1',
  // Untranslated messages: a few error texts are parsed (e.g. files a merge would overwrite).
  LC_ALL: 'C',
} as const;

/** Non-GIT_ variables git treats as commands to run. */
const DROPPED_ENV = new Set(['EDITOR', 'VISUAL', 'PAGER', 'PREFIX', 'SSH_ASKPASS', 'LANGUAGE']);

/** The environment for a host git process, built from `base` (the host's own environment). */
export function hardenedEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    const upper = key.toUpperCase();
    if (upper.startsWith('GIT_') || DROPPED_ENV.has(upper) || upper in FORCED_ENV) continue;
    env[key] = value;
  }
  return { ...env, ...FORCED_ENV };
}

let hooksDir: string | null = null;

/**
 * An empty, read-only folder used as `core.hooksPath`, so git finds no hook to run. One per
 * user in the temp folder, shared by every Flotilla process; it is used only after checking
 * that it is ours, a real folder, writable by nobody and empty. If not (another user made
 * it first in a shared /tmp), a private one is made instead.
 */
export function noHooksDir(): string {
  if (hooksDir !== null && isSafeEmptyDir(hooksDir)) return hooksDir;
  const shared = path.join(os.tmpdir(), `flotilla-no-hooks-${process.getuid?.() ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(shared, { mode: 0o555 });
  } catch {
    // Already there (or not creatable): the check below decides.
  }
  if (isSafeEmptyDir(shared)) {
    hooksDir = shared;
  } else {
    hooksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-no-hooks-'));
    fs.chmodSync(hooksDir, 0o555);
  }
  return hooksDir;
}

function isSafeEmptyDir(dir: string): boolean {
  try {
    const stat = fs.lstatSync(dir);
    const uid = process.getuid?.();
    return (
      stat.isDirectory() &&
      (uid === undefined || stat.uid === uid) &&
      // Nobody may add a hook to it: no write bit for anyone (0555).
      (stat.mode & 0o222) === 0 &&
      fs.readdirSync(dir).length === 0
    );
  } catch {
    return false;
  }
}
