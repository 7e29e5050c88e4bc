import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIo } from './cliIo.js';

/** Where the CLI runs: path arguments are resolved against its cwd and home, not the host's. */
export type PathContext = Pick<CliIo, 'cwd' | 'env'>;

/**
 * `~` and `~/…` at the start of a path argument mean the user's home, as in a shell: a shell
 * leaves `"~/x"` and `--repo=~/x` as they are. `~user/…` is left alone (another user's home is
 * not ours to guess).
 */
export function expandHome(value: string, home: string): string {
  if (value === '~') return home;
  if (value.startsWith('~/')) return path.join(home, value.slice(2));
  return value;
}

/** A path argument, absolute: `~` expanded, then resolved against the cwd (the host has a different one). */
export function resolvePathArgument(value: string, where: PathContext): string {
  return path.resolve(where.cwd, expandHome(value, homeOf(where.env)));
}

/**
 * `--repo` takes a repo id or a path. Anything that looks like a path, or names something
 * that exists, is resolved here; anything else goes to the host as an id.
 */
export function repoArgument(value: string, where: PathContext): string {
  const resolved = resolvePathArgument(value, where);
  const looksLikePath = value.includes('/') || value.includes(path.sep) || value.startsWith('.') || value.startsWith('~');
  return looksLikePath || fs.existsSync(resolved) ? resolved : value;
}

/** $HOME as the user's shell has it; the OS's answer when it is unset. */
function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}
