import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * The user's login-shell environment, for an app launched from a dock, menu or launcher: such a
 * process inherits the desktop session's bare environment (on macOS PATH is /usr/bin:/bin:…),
 * so git hooks aside, setup scripts, `gh` and CLI agents installed with Homebrew, nvm or asdf
 * would not be found. As VS Code does, the shell is asked once at start, interactive and login
 * (`$SHELL -ilc`), to print its environment between two markers, NUL-separated.
 */

/** 5 s: a slow rc file (nvm, conda) takes 1–2 s; past this the user waits on a blank app. */
export const LOGIN_SHELL_TIMEOUT_MS = 5_000;

/** Set while the shell runs, so a user's rc file can skip slow work (as VSCODE_RESOLVING_ENVIRONMENT). */
export const RESOLVING_MARKER_VARIABLE = 'FLOTILLA_RESOLVING_ENVIRONMENT';

/** Variables that describe the probe's own shell, not the user's environment. */
const SHELL_OWN_KEYS = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD', RESOLVING_MARKER_VARIABLE, 'ELECTRON_RUN_AS_NODE', 'ELECTRON_NO_ATTACH_CONSOLE']);

export type LoginShellEnv = { ok: true; env: Record<string, string> } | { ok: false; reason: string };

/**
 * Why the environment is taken as it is, or null when the login shell should be asked. Windows
 * has no login shell; a start from a terminal already has the shell's environment.
 */
export function whyNotResolveLoginShellEnv(opts: { platform: NodeJS.Platform; env: NodeJS.ProcessEnv; isLaunchedFromTerminal: boolean }): string | null {
  if (opts.platform === 'win32') return 'Windows has no login shell';
  if (opts.env.FLOTILLA_SKIP_SHELL_ENV === '1') return 'FLOTILLA_SKIP_SHELL_ENV=1';
  if (opts.isLaunchedFromTerminal) return 'started from a terminal, whose environment it already has';
  return null;
}

/**
 * The variables `env -0` printed between two `marker`s: `KEY=value` entries separated by NUL
 * (values may hold newlines and `=`). null when the markers are missing (the shell failed, or an
 * rc file swallowed the output).
 */
export function parseEnvDump(output: string, marker: string): Record<string, string> | null {
  const start = output.indexOf(marker);
  if (start === -1) return null;
  const end = output.indexOf(marker, start + marker.length);
  if (end === -1) return null;
  const env: Record<string, string> = {};
  for (const entry of output.slice(start + marker.length, end).split('\0')) {
    const equals = entry.indexOf('=');
    // An entry without '=' or with an empty name is not a variable (a stray line from an rc file).
    if (equals <= 0) continue;
    env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return env;
}

/** Runs the login shell once and reads its environment; never throws. */
export function readLoginShellEnv(opts: { shell: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<LoginShellEnv> {
  const timeoutMs = opts.timeoutMs ?? LOGIN_SHELL_TIMEOUT_MS;
  const marker = `__FLOTILLA_ENV_${randomBytes(8).toString('hex')}__`;
  // csh and tcsh take no -l together with other flags.
  const flags = /^t?csh$/.test(path.basename(opts.shell)) ? '-ic' : '-ilc';
  const script = `printf '%s' '${marker}'; command env -0; printf '%s' '${marker}'`;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let isDone = false;
    const finish = (result: LoginShellEnv) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(opts.shell, [flags, script], {
      env: { ...opts.env, [RESOLVING_MARKER_VARIABLE]: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a timeout ends the shell and whatever its rc files started.
      detached: true,
    });
    const timer = setTimeout(() => {
      killGroup(child.pid);
      finish({ ok: false, reason: `the login shell (${opts.shell}) did not answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    const succeed = (parsed: Record<string, string>) => {
      for (const key of SHELL_OWN_KEYS) delete parsed[key];
      finish({ ok: true, env: parsed });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      // Done at the closing marker: a daemon an rc file started may hold stdout open for hours.
      const parsed = parseEnvDump(stdout, marker);
      if (parsed) succeed(parsed);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-1_000)));
    child.on('error', (error) => finish({ ok: false, reason: `cannot run the login shell (${opts.shell}): ${error.message}` }));
    child.on('close', (code, signal) => {
      const parsed = parseEnvDump(stdout, marker);
      if (parsed) return succeed(parsed);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const said = stderr.trim().split('\n').at(-1);
      finish({ ok: false, reason: `the login shell (${opts.shell}) ${how} without printing its environment${said ? `: ${said}` : ''}` });
    });
  });
}

/**
 * The environment the host should run with: the login shell's variables over the process's,
 * or the process's own when the shell is not asked or fails (with the reason in the log).
 */
export async function loginShellEnv(opts: {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  isLaunchedFromTerminal: boolean;
  log: (message: string) => void;
  timeoutMs?: number;
}): Promise<NodeJS.ProcessEnv> {
  const skip = whyNotResolveLoginShellEnv(opts);
  if (skip) return opts.env;
  const shell = opts.env.SHELL || (opts.platform === 'darwin' ? '/bin/zsh' : '/bin/sh');
  const started = Date.now();
  const result = await readLoginShellEnv({ shell, env: opts.env, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
  if (!result.ok) {
    opts.log(`flotilla: using the environment as launched: ${result.reason}`);
    return opts.env;
  }
  opts.log(`flotilla: read the login shell's environment (${shell}) in ${Date.now() - started} ms`);
  return { ...opts.env, ...result.env };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
