import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeTaskBranch } from './merge.js';
import { mergeBaseIntoTask } from './resolveConflicts.js';
import { createTaskWorktree } from './worktrees.js';
import { commitFiles, git, makeRepo, removeTempDirs, revParse, snapshot, tempDir, writeFiles } from './testRepos.js';

afterAll(removeTempDirs);

/** A repo with main checked out and a task worktree on its own branch, one commit ahead. */
async function repoWithTask(taskFiles: Record<string, string | null> = { 'feature.txt': 'feature\n' }) {
  const repo = makeRepo({ 'shared.txt': 'one\ntwo\nthree\n', 'other.txt': 'other\n' });
  const worktree = path.join(tempDir('worktrees ü'), 'task "1"');
  const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'task', baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);
  const base = revParse(repo, 'main');
  const tip = commitFiles(worktree, taskFiles, 'task work');
  return { repo, worktree, branch: created.branch, base, tip };
}

function parents(repo: string, commit: string): string[] {
  return git(repo, 'rev-list', '--parents', '-n', '1', commit).trim().split(' ').slice(1);
}

function isMidMerge(repo: string): boolean {
  return fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'));
}

describe('mergeTaskBranch', () => {
  it('merges into the checked-out base with a two-parent commit and updates the checkout', async () => {
    const { repo, branch, base, tip } = await repoWithTask();
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'merge', message: 'Merge flotilla/task: Add feature' });
    if (!result.ok) throw new Error(result.message);
    expect(revParse(repo, 'main')).toBe(result.commit);
    expect(parents(repo, result.commit)).toEqual([base, tip]);
    expect(git(repo, 'log', '-1', '--format=%s', 'main').trim()).toBe('Merge flotilla/task: Add feature');
    expect(fs.readFileSync(path.join(repo, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect(git(repo, 'status', '--porcelain').trim()).toBe('');
    expect(isMidMerge(repo)).toBe(false);
    expect(revParse(repo, branch)).toBe(tip);
  });

  it('squashes into one single-parent commit with the given message', async () => {
    const { repo, worktree, branch, base } = await repoWithTask();
    commitFiles(worktree, { 'feature.txt': 'feature v2\n', 'shared.txt': 'one\n2\nthree\n' }, 'second turn');
    const message = '-Add feature\n\nThe prompt, verbatim.';
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'squash', message });
    if (!result.ok) throw new Error(result.message);
    expect(parents(repo, result.commit)).toEqual([base]);
    expect(git(repo, 'log', '-1', '--format=%B', 'main').trim()).toBe(message);
    expect(git(repo, 'diff', '--name-only', base, 'main').trim().split('\n')).toEqual(['feature.txt', 'shared.txt']);
    expect(fs.readFileSync(path.join(repo, 'feature.txt'), 'utf8')).toBe('feature v2\n');
    expect(git(repo, 'rev-list', '--count', `${base}..main`).trim()).toBe('1');
  });

  it('moves the ref only (compare-and-swap) when no worktree has the base checked out', async () => {
    const { repo, branch, base, tip } = await repoWithTask();
    git(repo, 'checkout', '--quiet', '-b', 'elsewhere');
    writeFiles(repo, { 'other.txt': 'user edit\n' });
    const before = snapshot(repo);
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'merge', message: 'm' });
    if (!result.ok) throw new Error(result.message);
    expect(parents(repo, revParse(repo, 'main'))).toEqual([base, tip]);
    expect(git(repo, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/elsewhere');
    expect(snapshot(repo)).toEqual(before);
    expect(git(repo, 'reflog', '-1', '--format=%gs', 'main').trim()).toBe(`flotilla: merge ${branch}`);
  });

  it('fast-forwards the linked worktree that has the base checked out', async () => {
    const { repo, branch } = await repoWithTask();
    git(repo, 'checkout', '--quiet', '-b', 'elsewhere');
    const baseWorktree = path.join(tempDir(), 'main checkout');
    git(repo, 'worktree', 'add', '--quiet', baseWorktree, 'main');
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'squash', message: 's' });
    if (!result.ok) throw new Error(result.message);
    expect(revParse(baseWorktree, 'HEAD')).toBe(result.commit);
    expect(fs.readFileSync(path.join(baseWorktree, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect(git(baseWorktree, 'status', '--porcelain').trim()).toBe('');
  });

  it('detects conflicts and changes nothing: refs, checkout bytes, no merge in progress', async () => {
    const { repo, worktree, branch, tip } = await repoWithTask({ 'shared.txt': 'one\nTASK\nthree\n', 'other.txt': 'task other\n' });
    const mainTip = commitFiles(repo, { 'shared.txt': 'one\nUSER\nthree\n', 'other.txt': 'user other\n' }, 'user work');
    writeFiles(repo, { 'notes.txt': 'untracked notes\n' });
    const repoBefore = snapshot(repo);
    const worktreeBefore = snapshot(worktree);

    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'merge', message: 'm' });

    expect(result).toMatchObject({ ok: false, kind: 'conflict', files: ['other.txt', 'shared.txt'] });
    if (!result.ok) expect(result.message).toContain('shared.txt');
    expect(revParse(repo, 'main')).toBe(mainTip);
    expect(revParse(repo, branch)).toBe(tip);
    expect(snapshot(repo)).toEqual(repoBefore);
    expect(snapshot(worktree)).toEqual(worktreeBefore);
    expect(isMidMerge(repo)).toBe(false);
    expect(git(repo, 'status', '--porcelain').trim()).toBe('?? notes.txt');
  });

  it('merges cleanly when base moved on without touching the same lines', async () => {
    const { repo, branch, tip } = await repoWithTask({ 'shared.txt': 'one\ntwo\nthree\ntask line\n' });
    const mainTip = commitFiles(repo, { 'shared.txt': 'user line\none\ntwo\nthree\n' }, 'user work');
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'merge', message: 'm' });
    if (!result.ok) throw new Error(result.message);
    expect(parents(repo, result.commit)).toEqual([mainTip, tip]);
    expect(fs.readFileSync(path.join(repo, 'shared.txt'), 'utf8')).toBe('user line\none\ntwo\nthree\ntask line\n');
  });

  it('refuses when the base checkout has uncommitted edits to a file the merge changes, and keeps them byte for byte', async () => {
    const { repo, branch } = await repoWithTask({ 'shared.txt': 'one\ntwo\nthree\nfour\n' });
    const main = revParse(repo, 'main');
    writeFiles(repo, { 'shared.txt': 'my precious\r\nedit\u0000\n' });
    const before = snapshot(repo);

    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'merge', message: 'm' });

    expect(result).toMatchObject({ ok: false, kind: 'checkout_dirty', files: ['shared.txt'] });
    if (!result.ok) {
      expect(result.message).toBe(
        `Your checkout at ${repo} has uncommitted changes to shared.txt; commit or stash them, then merge again.`,
      );
    }
    expect(revParse(repo, 'main')).toBe(main);
    expect(snapshot(repo)).toEqual(before);
    expect(isMidMerge(repo)).toBe(false);
  });

  it('refuses when an untracked file in the base checkout would be overwritten', async () => {
    const { repo, branch } = await repoWithTask({ 'feature.txt': 'feature\n' });
    writeFiles(repo, { 'feature.txt': 'mine, untracked\n' });
    const before = snapshot(repo);
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'squash', message: 's' });
    expect(result).toMatchObject({ ok: false, kind: 'checkout_dirty', files: ['feature.txt'] });
    expect(snapshot(repo)).toEqual(before);
  });

  it('keeps uncommitted edits to other files in the base checkout', async () => {
    const { repo, branch } = await repoWithTask({ 'feature.txt': 'feature\n' });
    writeFiles(repo, { 'other.txt': 'edited by the user\n', 'scratch.txt': 'untracked\n' });
    git(repo, 'add', 'other.txt');
    writeFiles(repo, { 'other.txt': 'edited again, unstaged\n' });
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'merge', message: 'm' });
    if (!result.ok) throw new Error(result.message);
    expect(revParse(repo, 'main')).toBe(result.commit);
    expect(fs.readFileSync(path.join(repo, 'other.txt'), 'utf8')).toBe('edited again, unstaged\n');
    expect(fs.readFileSync(path.join(repo, 'scratch.txt'), 'utf8')).toBe('untracked\n');
    expect(fs.readFileSync(path.join(repo, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect(git(repo, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual(['?? scratch.txt', 'MM other.txt']);
  });

  it('says there is nothing to merge when the branch adds nothing', async () => {
    const repo = makeRepo();
    const worktree = path.join(tempDir(), 'w');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'idle', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    const main = revParse(repo, 'main');
    for (const strategy of ['merge', 'squash'] as const) {
      const result = await mergeTaskBranch({ repoPath: repo, branch: created.branch, baseBranch: 'main', strategy, message: 'm' });
      expect(result).toMatchObject({ ok: false, kind: 'invalid_state' });
      if (!result.ok) expect(result.message).toContain('Nothing to merge');
    }
    // Commits whose changes main already has: nothing to squash.
    commitFiles(worktree, { 'same.txt': 'same\n' });
    commitFiles(repo, { 'same.txt': 'same\n' });
    const squash = await mergeTaskBranch({ repoPath: repo, branch: created.branch, baseBranch: 'main', strategy: 'squash', message: 's' });
    expect(squash).toMatchObject({ ok: false, kind: 'invalid_state' });
    expect(revParse(repo, 'main')).not.toBe(main);
    expect(git(repo, 'rev-list', '--count', `${main}..main`).trim()).toBe('1');
  });

  it('fails with bad_branch for a missing or invalid branch', async () => {
    const { repo, branch } = await repoWithTask();
    const missingBase = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'gone', strategy: 'merge', message: 'm' });
    expect(missingBase).toMatchObject({ ok: false, kind: 'bad_branch' });
    if (!missingBase.ok) expect(missingBase.message).toContain('"gone"');
    const missingTask = await mergeTaskBranch({ repoPath: repo, branch: 'flotilla/none', baseBranch: 'main', strategy: 'merge', message: 'm' });
    expect(missingTask).toMatchObject({ ok: false, kind: 'bad_branch' });
    const option = await mergeTaskBranch({ repoPath: repo, branch: '--abort', baseBranch: 'main', strategy: 'merge', message: 'm' });
    expect(option).toMatchObject({ ok: false, kind: 'bad_branch' });
  });

  it('refuses while the base checkout is in the middle of a merge, touching nothing', async () => {
    const { repo, branch } = await repoWithTask();
    git(repo, 'checkout', '--quiet', '-b', 'side');
    commitFiles(repo, { 'other.txt': 'side\n' });
    git(repo, 'checkout', '--quiet', 'main');
    commitFiles(repo, { 'other.txt': 'main\n' });
    expect(() => git(repo, 'merge', '--no-edit', 'side')).toThrow();
    const main = revParse(repo, 'main');
    const before = snapshot(repo);
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'merge', message: 'm' });
    expect(result).toMatchObject({ ok: false, kind: 'checkout_dirty' });
    expect(revParse(repo, 'main')).toBe(main);
    expect(snapshot(repo)).toEqual(before);
  });

  it('rebases: the task commits replayed onto a base that moved, authors and messages kept, a merge of the base dropped', async () => {
    const { repo, worktree, branch } = await repoWithTask();
    const second = commitFiles(worktree, { 'feature.txt': 'feature v2\n' }, 'second turn');
    const userCommit = commitFiles(repo, { 'other.txt': 'user moved on\n' }, 'user work');
    // The task merged the base into itself (as Resolve with agent would): that commit is not replayed.
    git(worktree, 'merge', '--no-edit', '--quiet', 'main');
    const taskTip = revParse(worktree, 'HEAD');
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'rebase', message: 'unused' });
    if (!result.ok) throw new Error(result.message);
    expect(revParse(repo, 'main')).toBe(result.commit);
    expect(git(repo, 'rev-list', '--merges', 'main').trim()).toBe('');
    expect(git(repo, 'log', '--format=%s', `${userCommit}..main`).trim().split('\n')).toEqual(['second turn', 'task work']);
    expect(parents(repo, parents(repo, result.commit)[0] ?? '')).toEqual([userCommit]);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>', result.commit).trim()).toBe(git(repo, 'log', '-1', '--format=%an <%ae>', second).trim());
    expect(fs.readFileSync(path.join(repo, 'feature.txt'), 'utf8')).toBe('feature v2\n');
    expect(fs.readFileSync(path.join(repo, 'other.txt'), 'utf8')).toBe('user moved on\n');
    expect(git(repo, 'status', '--porcelain').trim()).toBe('');
    // The task branch itself is untouched: the rebase wrote new commits only.
    expect(revParse(repo, branch)).toBe(taskTip);
  });

  it('a rebase that conflicts changes nothing, like the other strategies', async () => {
    const { repo, branch } = await repoWithTask({ 'shared.txt': 'one\nTASK\nthree\n' });
    commitFiles(repo, { 'shared.txt': 'one\nUSER\nthree\n' }, 'user edit');
    const before = { main: revParse(repo, 'main'), files: snapshot(repo) };
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'rebase', message: '' });
    expect(result).toMatchObject({ ok: false, kind: 'conflict', files: ['shared.txt'] });
    expect(revParse(repo, 'main')).toBe(before.main);
    expect(snapshot(repo)).toEqual(before.files);
    expect(fs.existsSync(path.join(repo, '.git', 'rebase-merge'))).toBe(false);
  });

  it('refuses a branch that moved since the caller reviewed it (changed), changing nothing', async () => {
    const { repo, worktree, branch, tip } = await repoWithTask();
    commitFiles(worktree, { 'feature.txt': 'sneaked in\n' }, 'after the review');
    const before = revParse(repo, 'main');
    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'squash', message: 'x', expectedTip: tip });
    expect(result).toMatchObject({ ok: false, kind: 'changed' });
    expect(revParse(repo, 'main')).toBe(before);
  });

  it('rebases a task whose conflicts were resolved in it (Resolve with agent): no conflict markers reach the base', async () => {
    const { repo, worktree, branch } = await repoWithTask({ 'shared.txt': 'one\nTASK\nthree\n' });
    commitFiles(repo, { 'shared.txt': 'one\nUSER\nthree\n' }, 'user edit');
    const marked = await mergeBaseIntoTask({ repoPath: repo, worktreePath: worktree, branch, baseBranch: 'main' });
    if (!marked.ok) throw new Error(marked.message);
    expect(marked.files).toEqual(['shared.txt']);
    expect(fs.readFileSync(path.join(worktree, 'shared.txt'), 'utf8')).toMatch(/^<<<<<<< /m);
    expect(fs.existsSync(path.join(repo, '.git', 'worktrees', path.basename(worktree), 'MERGE_HEAD'))).toBe(false);
    commitFiles(worktree, { 'shared.txt': 'one\nUSER and TASK\nthree\n' }, 'resolved');
    const userTip = revParse(repo, 'main');

    const result = await mergeTaskBranch({ repoPath: repo, branch, baseBranch: 'main', strategy: 'rebase', message: '' });
    if (!result.ok) throw new Error(result.message);
    expect(git(repo, 'rev-list', '--merges', 'main').trim()).toBe('');
    expect(parents(repo, result.commit)).toEqual([userTip]);
    expect(git(repo, 'log', '-p', `${userTip}..main`)).not.toMatch(/^\+<<<<<<< /m);
    expect(fs.readFileSync(path.join(repo, 'shared.txt'), 'utf8')).toBe('one\nUSER and TASK\nthree\n');
  });
});
