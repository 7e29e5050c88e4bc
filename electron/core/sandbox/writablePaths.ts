import path from 'node:path';
import { failure, type Failure } from '../../../shared/contracts/failure.js';
import { hostSocketPaths, secretPaths } from './hostSecrets.js';
import { realpathOrNull } from '../util/canonicalPath.js';

/**
 * Hidden from every command: they hold the host's service sockets (docker, system and session
 * D-Bus, `/run/user/<uid>` with its ssh/gpg agents), and a read-only mount does not stop
 * `connect()` on a socket.
 */
export const SYSTEM_HIDDEN_PATHS: readonly string[] = ['/run', '/var/run'];

export interface WritablePathContext {
  /** Where the real home, the credentials and the agent sockets come from; default process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  /** Hidden from commands (FLOTILLA_HOME, the other worktrees' root): never writable, nor any parent. */
  hiddenPaths?: readonly string[];
  /** The `.git` pointer and git dirs: never writable, nor anything inside them. */
  readOnlyPaths?: readonly string[];
}

/**
 * Whether the user may make `p` writable for a task (an approval's "write here"). The answer
 * is the canonical path to bind: symlinks resolved, so a link cannot smuggle in `~/.ssh`.
 *
 * Refused: relative paths, missing paths (`not_found`), `/`, anything that contains or sits
 * inside a credential dir, an agent socket, a hidden path (FLOTILLA_HOME) or `/run`, and
 * anything inside the git metadata. A parent of the git dirs is fine: they stay read-only.
 */
export function checkWritablePath(p: string, ctx: WritablePathContext = {}): { ok: true; path: string } | Failure {
  if (!path.isAbsolute(p)) return failure('invalid_input', `a writable path must be absolute: ${p}`);
  const real = realpathOrNull(p);
  if (real === null) return failure('not_found', `no such path: ${p}`);
  if (real === '/') return failure('invalid_input', 'the root directory cannot be made writable');
  const hostEnv = ctx.hostEnv ?? process.env;
  const guarded = [...secretPaths(hostEnv), ...hostSocketPaths(hostEnv), ...SYSTEM_HIDDEN_PATHS, ...(ctx.hiddenPaths ?? [])];
  for (const secret of withCanonical(guarded)) {
    if (isWithin(secret, real) || isWithin(real, secret)) {
      return failure('invalid_input', `${p} cannot be made writable: it overlaps ${secret}, which commands must never reach`);
    }
  }
  for (const readOnly of withCanonical(ctx.readOnlyPaths ?? [])) {
    if (isWithin(real, readOnly)) return failure('invalid_input', `${p} cannot be made writable: it is inside ${readOnly}, which stays read-only`);
  }
  return { ok: true, path: real };
}

/** Each absolute path as given and, when it exists, as its real path (a link to a secret is as secret). */
function withCanonical(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (!path.isAbsolute(p)) continue;
    out.add(path.resolve(p));
    // Missing: the lexical form is all there is.
    const real = realpathOrNull(p);
    if (real !== null) out.add(real);
  }
  return [...out];
}

export function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
