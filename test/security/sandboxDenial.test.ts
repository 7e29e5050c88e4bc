import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxed } from '../../electron/core/sandbox/runSandboxed.js';
import { describeSandboxDenial } from '../../electron/core/sandbox/sandboxDenial.js';
import type { SandboxSpec } from '../../electron/core/sandbox/sandboxSpec.js';
import { makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';

/** A command the sandbox refused is reported to the agent as a sandbox denial, not a mystery. */
let world: SandboxWorld;
let restoreEnv: () => void;
let server: net.Server;
let port: number;

beforeAll(async () => {
  world = await makeSandboxWorld();
  restoreEnv = overrideEnv({ HOME: world.userHome });
  server = net.createServer((socket) => socket.end('hello\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  restoreEnv();
  await new Promise((resolve) => server.close(resolve));
  world.dispose();
});

const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;
const OUTSIDE = '[sandbox: writes outside the worktree are blocked; ask for approval with a reason if you need this]';
const GIT = '[sandbox: the git metadata (.git) is read-only; the app commits your changes after each turn]';
const NO_NETWORK = '[sandbox: this task has no network access; ask for approval with a reason if you need it]';
const READ_ONLY = '[sandbox: this task is read-only: no file can be written, the worktree included; ask for approval with a reason if you need to write]';

async function denial(command: string, spec: SandboxSpec = world.spec, approval?: 'never'): Promise<string | null> {
  const result = await runSandboxed(spec, command, { hiddenPaths: world.hiddenPaths, timeoutMs: 30_000 });
  return describeSandboxDenial(result, spec, { approval });
}

describe('describeSandboxDenial on real sandboxed commands', () => {
  it.each([
    ['a shell redirection into the home', () => `echo x > ${q(path.join(world.userHome, 'pwned'))}`],
    ['touch under /etc', () => 'touch /etc/flotilla-pwned'],
    ['mkdir under /opt', () => 'mkdir /opt/flotilla-pwned'],
    ['Node writing outside', () => `${q(process.execPath)} -e "require('fs').writeFileSync('/etc/flotilla-pwned', 'x')"`],
  ])('%s → writes outside the worktree are blocked', async (_name, command) => {
    expect(await denial(command())).toBe(OUTSIDE);
  });

  it('a write to the .git pointer or a commit → the git metadata is read-only', async () => {
    expect(await denial('echo "gitdir: /tmp/evil" > .git')).toBe(GIT);
    expect(await denial('rm -f .git')).toBe(GIT);
    fs.writeFileSync(path.join(world.worktree, 'change.txt'), 'x\n');
    expect(await denial('git add change.txt && git -c user.name=a -c user.email=a@b commit -qm x')).toBe(GIT);
  });

  it('no network: name resolution, a refused loopback connect, an unreachable address', async () => {
    const hasCurl = fs.existsSync('/usr/bin/curl');
    if (hasCurl) expect(await denial('curl -sS --max-time 3 http://example.com/')).toBe(NO_NETWORK);
    expect(await denial(`exec 3<>/dev/tcp/127.0.0.1/${port}`)).toBe(NO_NETWORK);
    expect(await denial('exec 3<>/dev/tcp/1.1.1.1/80')).toBe(NO_NETWORK);
    expect(await denial(`${q(process.execPath)} -e "require('dns').lookup('example.com', (e) => console.log(e && e.message))"`)).toBe(NO_NETWORK);
  });

  it('a connect refused while the network is allowed is not a sandbox matter', async () => {
    const spec = { ...world.spec, allowNetwork: true };
    expect(await denial('exec 3<>/dev/tcp/127.0.0.1/1', spec)).toBeNull();
  });

  it('read-only mode: a write in the worktree says the task is read-only, and nothing is written', async () => {
    const spec: SandboxSpec = { ...world.spec, mode: 'read-only' };
    expect(await denial('echo x > made-in-read-only.txt', spec)).toBe(READ_ONLY);
    expect(fs.existsSync(path.join(world.worktree, 'made-in-read-only.txt'))).toBe(false);
  });

  it('approval "never": the note does not invite a request', async () => {
    expect(await denial('touch /etc/flotilla-pwned', world.spec, 'never')).toBe(
      '[sandbox: writes outside the worktree are blocked; this task allows no escalation, so find another way]',
    );
  });

  it('a privileged operation → not permitted in the sandbox', async () => {
    expect(await denial('chroot / true')).toBe('[sandbox: the operation is not permitted in the sandbox (no root privileges, mounts, clock or devices)]');
  });

  it('nothing to say about commands that succeed, or fail for their own reasons', async () => {
    expect(await denial('echo fine > ok.txt && cat ok.txt')).toBeNull();
    expect(await denial('ls no-such-file')).toBeNull();
    expect(await denial('exit 3')).toBeNull();
    // Plain file permissions inside the worktree: the file's business, not the sandbox's.
    expect(await denial('echo secret > locked.txt && chmod 000 locked.txt && cat locked.txt')).toBeNull();
  });
});
