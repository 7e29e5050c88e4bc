import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveCommit, archiveWorktree, pruneArchives, restoreFromArchive } from './archive.js';
import { createTaskWorktree, removeTaskWorktree } from './worktrees.js';
import { git, makeRepo, removeTempDirs, revParse, tempDir, writeFiles } from './testRepos.js';

afterAll(removeTempDirs);

async function repoWithTask() {
  const repo = makeRepo({ 'README.md': 'hello\n', 'keep.txt': 'keep\n' });
  const worktree = path.join(tempDir('worktrees ü'), 'task 1');
  const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'task', baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);
  return { repo, worktree, branch: created.branch };
}

describe('archives', () => {
  it('keep a removed worktree’s files, nested repositories as plain files, and not the files copied in', async () => {
    const { repo, worktree, branch } = await repoWithTask();
    writeFiles(worktree, { 'README.md': 'edited\n', 'new dir/new.txt': 'new\n', '.env': 'SECRET=1\n', 'inner/file.txt': 'inner\n' });
    git(path.join(worktree, 'inner'), 'init', '-q');
    await removeTaskWorktree({
      repoPath: repo,
      worktreePath: worktree,
      branch,
      deleteBranch: true,
      archive: { taskId: 't1', message: 'archive', excludePaths: ['.env'] },
    });
    expect(fs.existsSync(worktree)).toBe(false);
    const archived = await archiveCommit(repo, 't1');
    expect(archived).not.toBeNull();
    const files = git(repo, 'ls-tree', '-r', '--name-only', archived ?? '').trim().split('\n');
    expect(files.sort()).toEqual(['README.md', 'inner/file.txt', 'keep.txt', 'new dir/new.txt']);

    const restored = await restoreFromArchive({ repoPath: repo, worktreePath: worktree, branch, taskId: 't1' });
    expect(restored).toEqual({ ok: true });
    expect(fs.readFileSync(path.join(worktree, 'README.md'), 'utf8')).toBe('edited\n');
    expect(fs.readFileSync(path.join(worktree, 'new dir/new.txt'), 'utf8')).toBe('new\n');
    // As they were: the edit and the new files uncommitted again (the copied-in .env is the worktree setup's to copy).
    const status = git(worktree, 'status', '--porcelain=v1', '-z').split('\0').filter(Boolean).sort();
    expect(status).toEqual([' M README.md', '?? inner/', '?? new dir/']);
  });

  it('refuse to restore over a branch name taken since, changing nothing', async () => {
    const { repo, worktree, branch } = await repoWithTask();
    const tip = revParse(repo, branch);
    await removeTaskWorktree({ repoPath: repo, worktreePath: worktree, branch, deleteBranch: true, archive: { taskId: 't2', message: 'a', excludePaths: [] } });
    git(repo, 'branch', branch, 'main~0');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'moved on');
    git(repo, 'branch', '-f', branch, 'main');
    const refused = await restoreFromArchive({ repoPath: repo, worktreePath: worktree, branch, taskId: 't2' });
    expect(refused).toMatchObject({ ok: false, kind: 'invalid_state' });
    expect(fs.existsSync(worktree)).toBe(false);
    expect(revParse(repo, branch)).not.toBe(tip);
  });

  it('are pruned once older than the retention period, and kept before', async () => {
    const { repo, worktree, branch } = await repoWithTask();
    await archiveWorktree({ repoPath: repo, worktreePath: worktree, branch, taskId: 't3', message: 'a' });
    const day = 86_400_000;
    expect(await pruneArchives(repo, 30, Date.now() + 29 * day)).toEqual([]);
    expect(await archiveCommit(repo, 't3')).not.toBeNull();
    expect(await pruneArchives(repo, 30, Date.now() + 31 * day)).toEqual(['t3']);
    expect(await archiveCommit(repo, 't3')).toBeNull();
  });
});
