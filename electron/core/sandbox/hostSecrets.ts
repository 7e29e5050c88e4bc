import os from 'node:os';
import path from 'node:path';

/** Credentials under a user's home that no agent command may read (relative to the home). */
export const SECRET_HOME_ENTRIES = [
  '.ssh',
  '.aws',
  '.config/gh',
  '.netrc',
  '.git-credentials',
  '.docker',
  '.kube',
  '.gnupg',
  '.npmrc',
] as const;

/**
 * The real user's homes: `$HOME` and the passwd entry, which differ when HOME was changed
 * (both may hold credentials). Never the sandbox's per-task HOME.
 */
export function realHomes(hostEnv: NodeJS.ProcessEnv): string[] {
  const homes = new Set<string>();
  if (hostEnv.HOME) homes.add(path.resolve(hostEnv.HOME));
  try {
    homes.add(os.userInfo().homedir);
  } catch {
    // No passwd entry (some containers): $HOME is all there is.
  }
  return [...homes].filter((home) => home !== '/');
}

/** Every secret path under the real homes, whether or not it exists. */
export function secretPaths(hostEnv: NodeJS.ProcessEnv): string[] {
  return realHomes(hostEnv).flatMap((home) => SECRET_HOME_ENTRIES.map((entry) => path.join(home, entry)));
}

/**
 * Unix sockets the host advertises through its environment (ssh-agent, docker, the session
 * bus, the runtime dir that holds the rest). A read-only mount does not stop `connect()` on
 * a socket, so these must be covered, not just made read-only. Most live under /run or /tmp,
 * which the sandbox replaces anyway; this catches the ones that do not.
 */
export function hostSocketPaths(hostEnv: NodeJS.ProcessEnv): string[] {
  const found: string[] = [];
  const add = (candidate: string | undefined) => {
    if (candidate && path.isAbsolute(candidate)) found.push(candidate);
  };
  add(hostEnv.SSH_AUTH_SOCK);
  add(hostEnv.XDG_RUNTIME_DIR);
  if (hostEnv.DOCKER_HOST?.startsWith('unix://')) add(hostEnv.DOCKER_HOST.slice('unix://'.length));
  // D-Bus addresses are `;`-separated lists of `transport:key=value,...`.
  for (const address of (hostEnv.DBUS_SESSION_BUS_ADDRESS ?? '').split(';')) {
    const match = /^unix:(?:.*,)?path=([^,]+)/.exec(address);
    if (match?.[1]) add(decodeDbusValue(match[1]));
  }
  return found;
}

/** D-Bus escapes bytes as %XX in address values. */
function decodeDbusValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
