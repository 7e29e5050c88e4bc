import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointCommit } from './checkpoint.js';
import { createTaskWorktree } from './worktrees.js';
import { git, makeRepo, removeTempDirs, revParse, tempDir, writeFiles } from './testRepos.js';

afterAll(removeTempDirs);

async function taskWorktree(): Promise<{ repo: string; worktree: string; branch: string }> {
  const repo = makeRepo({ 'keep.txt': 'keep\n', 'old.txt': 'old\n', 'gone.txt': 'bye\n', '.gitignore': 'ignored/\n' });
  const worktree = path.join(tempDir('wt ü'), 'task');
  const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'cp', baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);
  return { repo, worktree, branch: created.branch };
}

describe('checkpointCommit', () => {
  it('returns null when there is nothing to commit', async () => {
    const { worktree } = await taskWorktree();
    const head = revParse(worktree, 'HEAD');
    expect(await checkpointCommit({ worktreePath: worktree, message: 'nothing' })).toBeNull();
    writeFiles(worktree, { 'ignored/build.log': 'noise' });
    expect(await checkpointCommit({ worktreePath: worktree, message: 'nothing' })).toBeNull();
    expect(revParse(worktree, 'HEAD')).toBe(head);
  });

  it('leaves out a copied-in file the repo also ignores (an exclude of an ignored path made git add fail)', async () => {
    const { repo, worktree } = await taskWorktree();
    writeFiles(worktree, { 'ignored/.env': 'TOKEN=1\n', 'new.txt': 'new\n' });
    const checkpoint = await checkpointCommit({ worktreePath: worktree, message: 'turn', excludePaths: ['ignored/.env', 'keep.txt'] });
    expect(checkpoint?.filesChanged).toBe(1);
    expect(git(repo, 'ls-tree', '-r', '--name-only', checkpoint?.commit ?? '').trim().split('\n').sort()).toEqual(['.gitignore', 'gone.txt', 'keep.txt', 'new.txt', 'old.txt']);
  });

  it('commits new, changed and deleted files to the task branch as Flotilla', async () => {
    const { repo, worktree, branch } = await taskWorktree();
    const mainBefore = revParse(repo, 'main');
    writeFiles(worktree, { 'new dir/naïve "file".txt': 'new\n', 'keep.txt': 'changed\n', 'gone.txt': null, 'ignored/x': 'x' });

    const result = await checkpointCommit({ worktreePath: worktree, message: '-m looks like an option' });

    expect(result).not.toBeNull();
    expect(result?.filesChanged).toBe(3);
    expect(result?.commit).toBe(revParse(repo, branch));
    expect(git(repo, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%s', branch).trim()).toBe(
      'Flotilla <flotilla@localhost>|Flotilla <flotilla@localhost>|-m looks like an option',
    );
    const changes = git(repo, 'show', '--name-status', '--no-renames', '--format=', '-z', branch).split('\0').filter(Boolean);
    expect(changes).toEqual(['D', 'gone.txt', 'M', 'keep.txt', 'A', 'new dir/naïve "file".txt']);
    expect(git(worktree, 'status', '--porcelain').trim()).toBe('');
    expect(revParse(repo, 'main')).toBe(mainBefore);
    expect(await checkpointCommit({ worktreePath: worktree, message: 'again' })).toBeNull();
  });

  it('never commits the excluded paths (files Flotilla copied in), even with glob-like names', async () => {
    const { repo, worktree, branch } = await taskWorktree();
    writeFiles(worktree, { '.env': 'TOKEN=1\n', 'config/*.local': 'x\n', 'config/a.local': 'y\n', 'work.txt': 'done\n' });
    const result = await checkpointCommit({ worktreePath: worktree, message: 'turn', excludePaths: ['.env', 'config/*.local'] });
    expect(result?.filesChanged).toBe(2);
    const files = git(repo, 'show', '--name-only', '--format=', branch).trim().split('\n');
    // `config/*.local` is taken literally: the real a.local is still committed.
    expect(files.sort()).toEqual(['config/a.local', 'work.txt']);
  });

  it('counts a rename as one file', async () => {
    const { worktree } = await taskWorktree();
    fs.renameSync(path.join(worktree, 'old.txt'), path.join(worktree, 'renamed.txt'));
    const result = await checkpointCommit({ worktreePath: worktree, message: 'rename' });
    expect(result?.filesChanged).toBe(1);
  });

  it('works on a machine with no git identity at all', async () => {
    const { worktree } = await taskWorktree();
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-nohome-'));
    process.env.HOME = emptyHome;
    process.env.XDG_CONFIG_HOME = emptyHome;
    try {
      writeFiles(worktree, { 'a.txt': 'a\n' });
      const result = await checkpointCommit({ worktreePath: worktree, message: 'no identity' });
      expect(result?.filesChanged).toBe(1);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      fs.rmSync(emptyHome, { recursive: true, force: true });
    }
  });
});
