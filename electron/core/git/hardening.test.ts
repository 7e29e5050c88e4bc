import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { restoreFromArchive } from './archive.js';
import { branchDiff } from './branchDiff.js';
import { checkpointCommit } from './checkpoint.js';
import { mergeTaskBranch } from './merge.js';
import { inspectRepo, listBranches } from './repoInspect.js';
import { createTaskWorktree, gitPathsOfWorktree, removeTaskWorktree } from './worktrees.js';
import { commitFiles, git, makeRepo, removeTempDirs, tempDir, writeFiles } from './testRepos.js';

afterAll(removeTempDirs);

const HOOKS = [
  'pre-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'post-checkout',
  'pre-merge-commit',
  'post-merge',
  'reference-transaction',
  'post-index-change',
  'pre-auto-gc',
];

let markers = '';

/** Every program the repo plants appends its name to a file in `markers`. */
function plantedRepo(): string {
  const repo = makeRepo({ 'a.txt': 'a\n', '.gitattributes': '*.txt diff=evil merge=evil filter=evil\n' });
  // Filters must pass content through (`exec cat`), or git would store empty files.
  const script = (name: string, then = 'exit 0'): string => {
    const file = path.join(markers, `${name}.sh`);
    fs.writeFileSync(file, `#!/bin/sh\necho ${name} >> '${path.join(markers, 'ran.log')}'\n${then}\n`);
    fs.chmodSync(file, 0o755);
    return file;
  };
  for (const hook of HOOKS) {
    fs.copyFileSync(script(`hook-${hook}`), path.join(repo, '.git', 'hooks', hook));
    fs.chmodSync(path.join(repo, '.git', 'hooks', hook), 0o755);
  }
  git(repo, 'config', 'core.fsmonitor', script('fsmonitor'));
  git(repo, 'config', 'core.pager', script('pager'));
  git(repo, 'config', 'diff.external', script('diff-external'));
  git(repo, 'config', 'diff.evil.textconv', script('textconv'));
  git(repo, 'config', 'diff.evil.command', script('diff-command'));
  git(repo, 'config', 'filter.evil.clean', script('filter-clean', 'exec cat'));
  git(repo, 'config', 'filter.evil.smudge', script('filter-smudge', 'exec cat'));
  git(repo, 'config', 'merge.evil.driver', script('merge-driver'));
  return repo;
}

/** Forgets what the fixture's own plain git calls ran. */
function forgetRuns(): void {
  fs.rmSync(path.join(markers, 'ran.log'), { force: true });
}

function ran(): string[] {
  const log = path.join(markers, 'ran.log');
  return fs.existsSync(log) ? [...new Set(fs.readFileSync(log, 'utf8').trim().split('\n'))].sort() : [];
}

beforeEach(() => {
  markers = tempDir('markers');
});

describe('host git calls run nothing the repo planted', () => {
  it('control: plain git does run every planted program', () => {
    const repo = plantedRepo();
    writeFiles(repo, { 'a.txt': 'changed\n', 'b.md': 'b\n' });
    git(repo, 'add', '--all');
    git(repo, 'commit', '--quiet', '-m', 'plain commit');
    git(repo, 'diff', 'HEAD~1', '--', 'b.md');
    git(repo, 'diff', 'HEAD~1', '--', 'a.txt');
    git(repo, 'show', '--no-ext-diff', 'HEAD', '--', 'a.txt');
    git(repo, 'checkout', '--quiet', '-b', 'other');
    commitFiles(repo, { 'a.txt': 'other side\n' });
    git(repo, 'checkout', '--quiet', 'main');
    fs.rmSync(path.join(repo, 'a.txt'));
    git(repo, 'checkout', '--', 'a.txt');
    commitFiles(repo, { 'a.txt': 'main side\n' });
    git(repo, 'merge', '--quiet', '--no-edit', 'other');
    expect(ran()).toEqual(
      expect.arrayContaining([
        'fsmonitor',
        'diff-external',
        'diff-command',
        'textconv',
        'hook-pre-commit',
        'hook-commit-msg',
        'hook-post-commit',
        'hook-post-checkout',
        'hook-reference-transaction',
        'filter-clean',
        'filter-smudge',
        'merge-driver',
      ]),
    );
  });

  it('inspect, create, checkpoint, diff, merge and remove run none of them', async () => {
    const repo = plantedRepo();
    writeFiles(repo, { 'b.txt': 'user edit, uncommitted\n' });

    expect(await inspectRepo(repo)).toMatchObject({ ok: true });
    await listBranches(repo);
    const worktree = path.join(tempDir('wt'), 'task');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'planted', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    await gitPathsOfWorktree(worktree);
    writeFiles(worktree, { 'a.txt': 'agent edit\n', 'new.txt': 'new\n' });
    const checkpoint = await checkpointCommit({ worktreePath: worktree, message: 'turn 1' });
    expect(checkpoint?.filesChanged).toBe(2);
    const diff = await branchDiff({ repoPath: repo, branch: created.branch, baseBranch: 'main' });
    expect(diff.files.map((file) => file.path)).toEqual(['a.txt', 'new.txt']);
    expect(diff.files[0]?.patch).toContain('+agent edit');
    const merged = await mergeTaskBranch({ repoPath: repo, branch: created.branch, baseBranch: 'main', strategy: 'merge', message: 'm' });
    if (!merged.ok) throw new Error(merged.message);
    expect(fs.readFileSync(path.join(repo, 'a.txt'), 'utf8')).toBe('agent edit\n');
    // Archived before the removal (an uncommitted file in it), then restored: still nothing runs.
    writeFiles(worktree, { 'late.txt': 'late\n' });
    const archive = { taskId: 'planted', message: 'archive', excludePaths: [] };
    await removeTaskWorktree({ repoPath: repo, worktreePath: worktree, branch: created.branch, deleteBranch: true, archive });
    expect(await restoreFromArchive({ repoPath: repo, worktreePath: worktree, branch: created.branch, taskId: 'planted' })).toEqual({ ok: true });
    expect(fs.readFileSync(path.join(worktree, 'late.txt'), 'utf8')).toBe('late\n');

    expect(ran()).toEqual([]);
  });

  it('a merge both sides changed reports a conflict instead of running the repo\'s merge driver', async () => {
    const repo = plantedRepo();
    const worktree = path.join(tempDir('wt'), 'task');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'driver', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    commitFiles(worktree, { 'a.txt': 'task side\n' });
    commitFiles(repo, { 'a.txt': 'main side\n' });
    forgetRuns();
    const merged = await mergeTaskBranch({ repoPath: repo, branch: created.branch, baseBranch: 'main', strategy: 'merge', message: 'm' });
    expect(merged).toMatchObject({ ok: false, kind: 'conflict', files: ['a.txt'] });
    expect(ran()).toEqual([]);
  });

  it('a squash merge into a branch no worktree has checked out runs none of them either', async () => {
    const repo = plantedRepo();
    git(repo, 'branch', 'target');
    forgetRuns();
    const worktree = path.join(tempDir('wt'), 'task');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'p', baseBranch: 'target' });
    if (!created.ok) throw new Error(created.message);
    writeFiles(worktree, { 'c.txt': 'c\n' });
    await checkpointCommit({ worktreePath: worktree, message: 'c' });
    const merged = await mergeTaskBranch({ repoPath: repo, branch: created.branch, baseBranch: 'target', strategy: 'squash', message: 's' });
    expect(merged).toMatchObject({ ok: true });
    expect(ran()).toEqual([]);
  });

  it('filters from the user\'s own global config (git-lfs, typically) still run', async () => {
    const repo = makeRepo({ '.gitattributes': '*.dat filter=mine\n', 'x.dat': 'x\n' });
    const home = tempDir('home');
    const clean = path.join(markers, 'clean.sh');
    fs.writeFileSync(clean, `#!/bin/sh\necho user-clean >> '${path.join(markers, 'ran.log')}'\nexec cat\n`);
    fs.chmodSync(clean, 0o755);
    fs.writeFileSync(path.join(home, '.gitconfig'), `[filter "mine"]\n\tclean = '${clean}'\n`);
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    process.env.HOME = home;
    process.env.XDG_CONFIG_HOME = path.join(home, '.config');
    try {
      writeFiles(repo, { 'x.dat': 'changed\n' });
      await checkpointCommit({ worktreePath: repo, message: 'user filter' });
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(ran()).toEqual(['user-clean']);
  });
});
