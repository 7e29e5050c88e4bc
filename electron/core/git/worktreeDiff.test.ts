import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_PATCH_BYTES } from './branchDiff.js';
import { checkpointCommit } from './checkpoint.js';
import { git, makeRepo, removeTempDirs, revParse, tempDir, writeFiles } from './testRepos.js';
import { worktreeDiff } from './worktreeDiff.js';
import { createTaskWorktree } from './worktrees.js';

afterAll(removeTempDirs);

async function taskWorktree(): Promise<{ repo: string; worktree: string }> {
  const repo = makeRepo({ 'app.txt': 'one\ntwo\nthree\n', 'pipe.txt': 'soon a FIFO\n', '.gitignore': 'build/\n' });
  const worktree = path.join(tempDir('wt ü'), 'task');
  const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'look', baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);
  return { repo, worktree };
}

const byPath = (files: { path: string }[]) => files.map((file) => file.path).sort();

describe('worktreeDiff: the uncommitted work of a task, against its branch tip', () => {
  it('shows tracked changes and untracked files, never follows a link, never opens a FIFO, never writes the index', async () => {
    const { repo, worktree } = await taskWorktree();
    const outside = path.join(tempDir('outside'), 'secret.txt');
    fs.writeFileSync(outside, 'SECRET-CONTENT\n');
    writeFiles(worktree, { 'app.txt': 'one\n2\nthree\n', 'notes dir/naïve ü file.txt': 'hello\n', 'build/out.o': 'ignored', '.env': 'TOKEN=1\n' });
    fs.symlinkSync(outside, path.join(worktree, 'link to secret'));
    fs.symlinkSync(path.dirname(outside), path.join(worktree, 'linked dir'));
    execFileSync('mkfifo', [path.join(worktree, 'untracked.fifo')]);
    fs.rmSync(path.join(worktree, 'pipe.txt'));
    execFileSync('mkfifo', [path.join(worktree, 'pipe.txt')]);
    const indexFile = path.join(repo, '.git', 'worktrees', 'task', 'index');
    const indexBefore = fs.readFileSync(indexFile);
    const statusBefore = git(worktree, 'status', '--porcelain', '-z');

    const diff = await worktreeDiff({ worktreePath: worktree, excludePaths: ['.env'] });

    expect(diff.fromCommit).toBe(revParse(worktree, 'HEAD'));
    expect(git(repo, 'cat-file', '-t', diff.toCommit).trim()).toBe('tree');
    expect(byPath(diff.files)).toEqual(['app.txt', 'link to secret', 'linked dir', 'notes dir/naïve ü file.txt', 'pipe.txt']);
    const file = (name: string) => diff.files.find((f) => f.path === name);
    expect(file('app.txt')).toMatchObject({ change: 'modified', additions: 1, deletions: 1, sensitive: false });
    expect(file('app.txt')?.patch).toContain('-two\n+2\n');
    expect(file('notes dir/naïve ü file.txt')).toMatchObject({ change: 'added', additions: 1 });
    expect(file('notes dir/naïve ü file.txt')?.patch).toContain('+hello');
    // Links are stored as links: their target's path, never the bytes behind it.
    expect(file('link to secret')?.patch).toContain('new file mode 120000');
    expect(file('link to secret')?.patch).toContain(`+${outside}`);
    expect(JSON.stringify(diff)).not.toContain('SECRET-CONTENT');
    // A FIFO where a file was: deleted, as git sees it; an untracked one is not listed.
    expect(file('pipe.txt')).toMatchObject({ change: 'deleted' });
    // The worktree's own index and status are exactly as they were.
    expect(fs.readFileSync(indexFile).equals(indexBefore)).toBe(true);
    expect(git(worktree, 'status', '--porcelain', '-z')).toBe(statusBefore);
  });

  it('flags sensitive files, caps huge patches, and runs no filter the repo configures', async () => {
    const { repo, worktree } = await taskWorktree();
    const marker = path.join(tempDir('marker'), 'filter-ran');
    git(repo, 'config', 'filter.evil.clean', `touch '${marker}'; cat`);
    writeFiles(worktree, {
      '.gitattributes': '*.txt filter=evil\n',
      '.github/workflows/ci.yml': 'on: push\n',
      'huge.txt': 'x'.repeat(100) + '\n'.repeat(1) + 'line\n'.repeat(MAX_PATCH_BYTES / 4),
    });
    const diff = await worktreeDiff({ worktreePath: worktree, excludePaths: [] });
    expect(diff.files.find((f) => f.path === '.github/workflows/ci.yml')).toMatchObject({ sensitive: true, sensitiveReason: expect.any(String) });
    const huge = diff.files.find((f) => f.path === 'huge.txt');
    expect(huge?.isTruncated).toBe(true);
    expect(Buffer.byteLength(huge?.patch ?? '')).toBeLessThanOrEqual(MAX_PATCH_BYTES);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('is empty once a checkpoint committed everything (a FIFO at a tracked path no longer fails the checkpoint)', async () => {
    const { worktree } = await taskWorktree();
    writeFiles(worktree, { 'new.txt': 'new\n' });
    fs.rmSync(path.join(worktree, 'pipe.txt'));
    execFileSync('mkfifo', [path.join(worktree, 'pipe.txt')]);
    const checkpoint = await checkpointCommit({ worktreePath: worktree, message: 'turn' });
    expect(checkpoint?.filesChanged).toBe(2);
    const diff = await worktreeDiff({ worktreePath: worktree, excludePaths: [] });
    expect(diff.files).toEqual([]);
    expect(diff.fromCommit).toBe(checkpoint?.commit);
  });
});
