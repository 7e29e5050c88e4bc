import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, waitFor } from '../terminal/testTerminals.js';
import { loginShellEnv, parseEnvDump, readLoginShellEnv, whyNotResolveLoginShellEnv } from './loginShellEnv.js';

const MARK = '__MARK__';

describe('parseEnvDump', () => {
  it('reads NUL-separated entries between the markers: values with newlines and =, rc noise around them ignored', () => {
    const output = `Welcome from .bashrc\n${MARK}PATH=/opt/homebrew/bin:/usr/bin\0MULTI=line one\nline=two\0EMPTY=\0not a variable\0=nameless\0${MARK}bye\n`;
    expect(parseEnvDump(output, MARK)).toEqual({ PATH: '/opt/homebrew/bin:/usr/bin', MULTI: 'line one\nline=two', EMPTY: '' });
  });

  it('gives null when a marker is missing (the shell failed or something swallowed the output)', () => {
    expect(parseEnvDump('PATH=/usr/bin\0', MARK)).toBeNull();
    expect(parseEnvDump(`${MARK}PATH=/usr/bin\0`, MARK)).toBeNull();
  });
});

describe('whyNotResolveLoginShellEnv', () => {
  it('asks the shell only for a start outside a terminal, on macOS and Linux, unless told not to', () => {
    const env = {};
    expect(whyNotResolveLoginShellEnv({ platform: 'darwin', env, isLaunchedFromTerminal: false })).toBeNull();
    expect(whyNotResolveLoginShellEnv({ platform: 'linux', env, isLaunchedFromTerminal: false })).toBeNull();
    expect(whyNotResolveLoginShellEnv({ platform: 'linux', env, isLaunchedFromTerminal: true })).toMatch(/terminal/);
    expect(whyNotResolveLoginShellEnv({ platform: 'win32', env, isLaunchedFromTerminal: false })).toMatch(/Windows/);
    expect(whyNotResolveLoginShellEnv({ platform: 'linux', env: { FLOTILLA_SKIP_SHELL_ENV: '1' }, isLaunchedFromTerminal: false })).toMatch(/SKIP/);
  });
});

describe('the login shell, for real (bash with a fake home)', () => {
  let home: string;
  const bash = fs.existsSync('/bin/bash') ? '/bin/bash' : null;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-login-shell-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('reads what the login profile exports, and the profile can tell it is being asked', async (ctx) => {
    if (!bash) return ctx.skip('no /bin/bash here');
    fs.writeFileSync(
      path.join(home, '.bash_profile'),
      [
        'export PATH="$HOME/tools/bin:$PATH"',
        "export FLOTILLA_FROM_PROFILE='from the profile'",
        "export FLOTILLA_MULTI=$'two\\nlines=here'",
        'export FLOTILLA_SAW_MARKER="$FLOTILLA_RESOLVING_ENVIRONMENT"',
        'echo "profile noise on stdout"',
      ].join('\n'),
    );
    const result = await readLoginShellEnv({ shell: bash, env: { HOME: home, PATH: '/usr/bin:/bin' } });
    if (!result.ok) throw new Error(result.reason);
    // /etc/profile may set its own PATH first; the user's profile prepends to it.
    expect(result.env.PATH?.startsWith(`${home}/tools/bin:`)).toBe(true);
    expect(result.env.FLOTILLA_FROM_PROFILE).toBe('from the profile');
    expect(result.env.FLOTILLA_MULTI).toBe('two\nlines=here');
    expect(result.env.FLOTILLA_SAW_MARKER).toBe('1');
    // The probe's own variables do not leak into the app's environment.
    expect(result.env.FLOTILLA_RESOLVING_ENVIRONMENT).toBeUndefined();
    expect(result.env.SHLVL).toBeUndefined();
  });

  it('gives up after the timeout, kills the shell and what its profile started, and falls back to the launch environment with the reason logged', async (ctx) => {
    if (!bash) return ctx.skip('no /bin/bash here');
    const pidFile = path.join(home, 'profile.pid');
    fs.writeFileSync(path.join(home, '.bash_profile'), `echo $$ > '${pidFile}'\nsleep 30\n`);
    const logged: string[] = [];
    const launched = { HOME: home, PATH: '/usr/bin:/bin', SHELL: bash, ONLY_IN_LAUNCH_ENV: 'kept' };
    const started = Date.now();
    const env = await loginShellEnv({ env: launched, platform: 'linux', isLaunchedFromTerminal: false, log: (line) => logged.push(line), timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(env).toBe(launched);
    expect(logged).toEqual([`flotilla: using the environment as launched: the login shell (${bash}) did not answer within 0.5 s`]);
    const shellPid = Number(fs.readFileSync(pidFile, 'utf8'));
    await waitFor('the timed-out shell to be gone', () => !isAlive(shellPid));
  });

  it('falls back with the reason when the shell cannot run or prints nothing', async () => {
    const missing = await readLoginShellEnv({ shell: path.join(home, 'no-such-shell'), env: { HOME: home } });
    expect(missing).toEqual({ ok: false, reason: expect.stringMatching(/^cannot run the login shell .*no-such-shell.*ENOENT/) });
    const failing = await readLoginShellEnv({ shell: '/bin/false', env: { HOME: home } });
    expect(failing).toEqual({ ok: false, reason: expect.stringMatching(/exited with code 1 without printing its environment/) });
  });
});
