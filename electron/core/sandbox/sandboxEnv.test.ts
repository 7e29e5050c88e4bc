import { describe, expect, it } from 'vitest';
import { sandboxEnv } from './sandboxEnv.js';
import type { SandboxSpec } from './sandboxSpec.js';

const spec: SandboxSpec = { mode: 'workspace-write', worktreePath: '/w/wt', readOnlyPaths: [], extraWritablePaths: [], homeDir: '/w/home', allowNetwork: false };

describe('sandboxEnv', () => {
  it('keeps only the allowlist and points HOME and TMPDIR at the sandbox', () => {
    const env = sandboxEnv(
      {
        PATH: '/usr/bin:/bin',
        LANG: 'fr_FR.UTF-8',
        LC_ALL: 'C.UTF-8',
        TZ: 'Europe/Paris',
        TERM: 'screen',
        HOME: '/home/me',
        TMPDIR: '/var/folders/x',
        OPENAI_API_KEY: 'sk-1',
        GH_TOKEN: 'ghp_1',
        AWS_SECRET_ACCESS_KEY: 'a',
        SSH_AUTH_SOCK: '/tmp/ssh/agent',
        NO_COLOR: '1',
        LD_PRELOAD: '/evil.so',
      },
      spec,
    );
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      LANG: 'fr_FR.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'Europe/Paris',
      TERM: 'screen',
      HOME: '/w/home',
      TMPDIR: '/tmp',
    });
  });

  it('fills in TERM and PATH when the host has none, and leaves out what is unset', () => {
    expect(sandboxEnv({}, spec)).toEqual({
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      TERM: 'xterm-256color',
      HOME: '/w/home',
      TMPDIR: '/tmp',
    });
  });
});
