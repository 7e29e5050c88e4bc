import type { SandboxSpec } from './sandboxSpec.js';

/** Copied from the host when set; everything else (keys, tokens, agent sockets) stays out. */
const PASSED_THROUGH = ['PATH', 'LANG', 'LC_ALL', 'TZ'] as const;

/** Used when the host has no PATH (a GUI launch can start with an empty environment). */
const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The whole environment of a sandboxed command: an allowlist, never a denylist, so a new
 * `*_TOKEN` on the host cannot leak by being forgotten. HOME is the task's own, TMPDIR the
 * sandbox's private /tmp; NO_COLOR is deliberately not set.
 */
export function sandboxEnv(hostEnv: NodeJS.ProcessEnv, spec: SandboxSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = hostEnv[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  env.PATH ??= FALLBACK_PATH;
  env.TERM = hostEnv.TERM || 'xterm-256color';
  env.HOME = spec.homeDir;
  env.TMPDIR = '/tmp';
  return env;
}
