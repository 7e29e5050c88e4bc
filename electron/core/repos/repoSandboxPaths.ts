import os from 'node:os';
import path from 'node:path';
import { SECRET_HOME_ENTRIES, realHomes } from '../sandbox/hostSecrets.js';
import { isWithin } from '../sandbox/writablePaths.js';
import { realpathOrNull } from '../util/canonicalPath.js';

/**
 * Checks the paths a user lists for a repo's sandbox (Settings, `repo config`) before they are
 * stored. Every bad entry is named, with why, in one message (`Home paths refused: "x" is
 * relative (…); "y" …`), so nothing is silently dropped; good entries come back absolute,
 * normalized and without repeats.
 */
export type PathListCheck = { ok: true; paths: string[] } | { ok: false; message: string };

export interface PathContext {
  /** The host's environment: where `~` and the real homes come from. */
  hostEnv: NodeJS.ProcessEnv;
  /** Never shown, nor anything around it: the database and every task's worktree live there. */
  flotillaHome: string;
}

/** `unixSockets`: absolute host paths (`~/` allowed), never `/`. Need not exist yet (docker may be stopped). */
export function checkUnixSockets(entries: readonly string[], ctx: PathContext): PathListCheck {
  return checkList('Host sockets', entries, (entry) => absoluteOf(entry, ctx.hostEnv));
}

/**
 * `homeReadOnlyPaths`: inside the user's real home (not the home itself), never a credential
 * folder (SECRET_HOME_ENTRIES) or FLOTILLA_HOME, nor a folder holding one, followed through
 * symlinks where the path exists.
 */
export function checkHomeReadOnlyPaths(entries: readonly string[], ctx: PathContext): PathListCheck {
  const homes = realHomes(ctx.hostEnv);
  // A home or FLOTILLA_HOME reached through a symlink (/home -> /usr/home) is compared both ways.
  const protectedHomes = withRealPaths(homes);
  const flotillaHomes = withRealPaths([path.resolve(ctx.flotillaHome)]);
  return checkList('Home paths', entries, (entry) => {
    const absolute = absoluteOf(entry, ctx.hostEnv);
    if (!absolute.ok) return absolute;
    const home = homes.find((h) => isWithin(absolute.path, h));
    if (home === undefined) return refused(`is outside your home (${homes.join(' or ') || 'unknown'})`);
    if (absolute.path === home) return refused('is your whole home (list the files and folders you need inside it)');
    const real = realpathOrNull(absolute.path);
    for (const candidate of real === null || real === absolute.path ? [absolute.path] : [absolute.path, real]) {
      const clash = protectedClash(candidate, protectedHomes, flotillaHomes);
      if (clash) return refused(candidate === absolute.path ? clash : `leads to ${real} (a symlink), which ${clash}`);
    }
    return absolute;
  });
}

type EntryCheck = { ok: true; path: string } | { ok: false; why: string };

function checkList(label: string, entries: readonly string[], check: (entry: string) => EntryCheck): PathListCheck {
  const paths: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const result = check(entry);
    if (result.ok) {
      if (!paths.includes(result.path)) paths.push(result.path);
    } else {
      // JSON quoting shows a stray newline or control character instead of acting on it.
      problems.push(`${JSON.stringify(entry)} ${result.why}`);
    }
  }
  if (problems.length === 0) return { ok: true, paths };
  return { ok: false, message: `${label} refused: ${problems.join('; ')}.` };
}

/** `/abs/path` or `~/path` (the host's $HOME), normalized; refuses everything else with the reason. */
function absoluteOf(entry: string, hostEnv: NodeJS.ProcessEnv): EntryCheck {
  if (entry.trim() === '') return refused('is empty');
  if (/[\0\n\r]/.test(entry)) return refused('holds a NUL or line break');
  let expanded = entry;
  if (entry === '~' || entry.startsWith('~/')) expanded = path.join(userHome(hostEnv), entry.slice(1));
  else if (entry.startsWith('~')) return refused('names another user’s home (only ~/ is understood)');
  if (!path.isAbsolute(expanded)) return refused('is relative (write it from / or from ~/)');
  const normal = path.resolve(expanded);
  if (normal === '/') return refused('is the whole file system');
  return { ok: true, path: normal };
}

/** Why showing `p` would show something that must stay hidden, or null. */
function protectedClash(p: string, homes: readonly string[], flotillaHomes: readonly string[]): string | null {
  for (const home of homes) {
    for (const entry of SECRET_HOME_ENTRIES) {
      const secret = path.join(home, entry);
      if (isWithin(p, secret)) return `is inside ~/${entry}, which holds credentials and is never shown`;
      if (isWithin(secret, p)) return `holds ~/${entry}, which holds credentials and is never shown (list what you need beside it instead)`;
    }
  }
  for (const flotilla of flotillaHomes) {
    if (isWithin(p, flotilla)) return `is inside Flotilla’s own folder ${flotilla}, which is never shown`;
    if (isWithin(flotilla, p)) return `holds Flotilla’s own folder ${flotilla}, which is never shown (list what you need beside it instead)`;
  }
  return null;
}

function refused(why: string): EntryCheck {
  return { ok: false, why };
}

function userHome(hostEnv: NodeJS.ProcessEnv): string {
  return hostEnv.HOME ? path.resolve(hostEnv.HOME) : os.homedir();
}

function withRealPaths(paths: readonly string[]): string[] {
  return [...new Set(paths.flatMap((p) => [p, realpathOrNull(p) ?? p]))];
}
