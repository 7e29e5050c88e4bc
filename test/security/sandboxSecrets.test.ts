import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxed } from '../../electron/core/sandbox/runSandboxed.js';
import { makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';

/** SECURITY.md promises 5 and 6: no credentials, no app data, no keys in the environment. */
let world: SandboxWorld;
let restoreEnv: () => void;

const PLANTED_KEY = '-----BEGIN OPENSSH PRIVATE KEY----- planted';

beforeAll(async () => {
  world = await makeSandboxWorld();
  const home = world.userHome;
  fs.mkdirSync(path.join(home, '.ssh'), { mode: 0o700 });
  fs.writeFileSync(path.join(home, '.ssh', 'id_ed25519'), `${PLANTED_KEY}\n`);
  fs.mkdirSync(path.join(home, '.aws'));
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), 'aws_secret_access_key = planted-aws\n');
  fs.mkdirSync(path.join(home, '.config', 'gh'), { recursive: true });
  fs.writeFileSync(path.join(home, '.config', 'gh', 'hosts.yml'), 'oauth_token: planted-gh\n');
  fs.writeFileSync(path.join(home, '.netrc'), 'machine example.com password planted-netrc\n');
  fs.writeFileSync(path.join(home, '.git-credentials'), 'https://u:planted-gitcred@example.com\n');
  fs.writeFileSync(path.join(home, 'visible.txt'), 'an ordinary file\n');
  restoreEnv = overrideEnv({
    HOME: home,
    OPENAI_API_KEY: 'sk-planted-openai',
    GH_TOKEN: 'ghp_planted',
    AWS_SECRET_ACCESS_KEY: 'planted-aws-env',
    SSH_AUTH_SOCK: path.join(world.root, 'ssh-agent.sock'),
    NO_COLOR: '1',
    // Toolchains in this machine's real home (rustup's data is mirrored into the task HOME) would
    // make the `grep -r` below read gigabytes: only system folders on PATH here.
    PATH: '/usr/local/bin:/usr/bin:/bin',
  });
});

afterAll(() => {
  restoreEnv();
  world.dispose();
});

const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;

describe('secrets stay out of the sandbox', () => {
  it("hides the credentials (~/.ssh, ~/.aws, ~/.config/gh, ~/.netrc, ~/.git-credentials) even when the user allowlisted the whole home", async () => {
    const home = world.userHome;
    const spec = { ...world.spec, homeReadOnlyPaths: [home] };
    const run = (command: string) => runSandboxed(spec, command, { hiddenPaths: world.hiddenPaths, timeoutMs: 30_000 });
    const result = await run(
      [
        `cat ${q(path.join(home, 'visible.txt'))}`,
        `ls -A ${q(path.join(home, '.ssh'))}`,
        `cat ${q(path.join(home, '.ssh', 'id_ed25519'))}`,
        `cat ${q(path.join(home, '.aws', 'credentials'))}`,
        `cat ${q(path.join(home, '.config', 'gh', 'hosts.yml'))}`,
        `cat ${q(path.join(home, '.netrc'))}`,
        `cat ${q(path.join(home, '.git-credentials'))}`,
        `grep -rs planted ${q(home)}`,
        'echo end',
      ].join('; '),
    );
    // Control: the home is visible, so an empty answer below is the hiding at work.
    expect(result.output).toContain('an ordinary file');
    expect(result.output).toContain('end');
    expect(result.output).not.toContain('planted');
    const listing = await run(`ls -A ${q(path.join(home, '.ssh'))} ${q(path.join(home, '.aws'))} ${q(path.join(home, '.config', 'gh'))}`);
    expect(listing.output).not.toMatch(/id_ed25519|credentials|hosts\.yml/);
  });

  it('hides FLOTILLA_HOME except for this task: no database, no other worktree', async () => {
    const home = world.flotillaHome;
    const read = await world.run(`cat ${q(path.join(home, 'flotilla.db'))}; grep -rs transcripts ${q(home)}; echo end`);
    expect(read.output).toContain('end');
    expect(read.output).not.toContain('prompts and transcripts');
    const listing = await world.run(`ls -A ${q(home)} ${q(path.join(home, 'worktrees', 'repo1'))}`);
    expect(listing.output).not.toContain('flotilla.db');
    expect(listing.output).not.toContain('task-b');
    // Its own worktree and HOME are still there, at the same paths as on the host.
    expect(listing.output).toContain('task-a');
    const own = await world.run('pwd && echo "$HOME"');
    expect(own.output).toBe(`${world.worktree}\n${world.taskHome}\n`);
  });

  it('gives commands an environment without keys, tokens or agent sockets', async () => {
    const result = await world.run('env');
    expect(result.exitCode).toBe(0);
    const env = Object.fromEntries(
      result.output
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    for (const name of ['OPENAI_API_KEY', 'GH_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'SSH_AUTH_SOCK', 'NO_COLOR']) expect(env).not.toHaveProperty(name);
    expect(result.output).not.toContain('planted');
    expect(env.HOME).toBe(world.taskHome);
    expect(env.TMPDIR).toBe('/tmp');
    expect(env.PATH).toBe(process.env.PATH);
  });
});
