import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/**
 * Every git process the host starts is hardened the same way, whether it goes through
 * simple-git (`hardenedGit`) or a bare child process (`runGit`): a repository the user
 * added, or a branch an agent wrote, must not be able to make the host run a program.
 * What the repo can plant, and what turns it off here:
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
    'gc.auto=0',
    'maintenance.auto=false',
    'diff.noprefix=false',
    'diff.mnemonicPrefix=false',
  ];
}

/** The same settings as `git -c k=v …` arguments, for processes started without simple-git. */
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

/** Non-GIT_ variables git (or simple-git's guard) treats as commands to run. */
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

/**
 * The one factory for simple-git instances. simple-git's own "unsafe" guard refuses
 * `-c core.hooksPath`/`core.fsmonitor`/`core.pager`/`diff.external` because a caller could
 * use them to run programs; here we set them to values that run nothing, so exactly those
 * four categories are allowed and every other guard stays on.
 */
export function hardenedGit(cwd: string): SimpleGit {
  return simpleGit({
    baseDir: cwd,
    config: hardeningConfig(),
    unsafe: {
      allowUnsafeHooksPath: true,
      allowUnsafeFsMonitor: true,
      allowUnsafePager: true,
      allowUnsafeDiffExternal: true,
    },
    // simple-git refuses any GIT_* variable in an explicit env unless it is listed here.
    allowEnvironment: Object.keys(FORCED_ENV).filter((key) => key.startsWith('GIT_')),
  }).env(hardenedEnv());
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
