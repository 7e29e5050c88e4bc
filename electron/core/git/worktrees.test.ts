import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTaskWorktree, gitPathsOfWorktree, removeTaskWorktree, slugify } from './worktrees.js';
import { repoGoneReason } from './worktreeRecovery.js';
import { commitFiles, git, makeRepo, removeTempDirs, revParse, snapshot, tempDir, writeFiles } from './testRepos.js';

afterAll(removeTempDirs);

describe('slugify', () => {
  it('makes short, lower-case, ASCII, dash-separated slugs', () => {
    expect(slugify('Fix the Login bug!')).toBe('fix-the-login-bug');
    expect(slugify('  Crème brûlée: über façade  ')).toBe('creme-brulee-uber-facade');
    expect(slugify('--a__b..c--')).toBe('a-b-c');
    expect(slugify('日本語')).toBe('task');
    expect(slugify('')).toBe('task');
    expect(slugify('!!!')).toBe('task');
  });

  it('cuts at 40 characters without a trailing dash', () => {
    const slug = slugify('Refactor the whole authentication module to use tokens');
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug).toBe('refactor-the-whole-authentication-module');
    expect(slugify(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
  });
});

describe('createTaskWorktree', () => {
  it('creates the worktree on flotilla/<slug> from the base branch, untracked, leaving the checkout alone', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    fs.writeFileSync(path.join(repo, 'a.txt'), 'uncommitted edit\n');
    const before = snapshot(repo);
    const head = revParse(repo, 'main');
    const worktreePath = path.join(tempDir('home ü'), 'worktrees', 'repo 1', 'fix-bug');

    const result = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'fix-bug', baseBranch: 'main' });

    expect(result).toMatchObject({ ok: true, branch: 'flotilla/fix-bug', baseBranch: 'main', baseCommit: head });
    expect(result.ok && (await result.uncommitted)).toEqual([]);
    expect(fs.readFileSync(path.join(worktreePath, 'a.txt'), 'utf8')).toBe('a\n');
    expect(git(worktreePath, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/flotilla/fix-bug');
    expect(() => git(repo, 'config', '--get', 'branch.flotilla/fix-bug.merge')).toThrow();
    expect(snapshot(repo)).toEqual(before);
    expect(git(repo, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
  });

  it('starts from the tip of another base branch, and from the current branch when base is ""', async () => {
    const repo = makeRepo();
    git(repo, 'checkout', '--quiet', '-b', 'dev');
    const devTip = commitFiles(repo, { 'dev.txt': 'dev\n' });
    git(repo, 'checkout', '--quiet', 'main');
    const home = tempDir();
    const fromDev = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(home, 'a'), slug: 'a', baseBranch: 'dev' });
    expect(fromDev).toMatchObject({ ok: true, baseCommit: devTip });
    expect(fs.existsSync(path.join(home, 'a', 'dev.txt'))).toBe(true);
    const fromCurrent = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(home, 'b'), slug: 'b', baseBranch: '' });
    expect(fromCurrent).toMatchObject({ ok: true, baseCommit: revParse(repo, 'main') });
  });

  it('picks flotilla/<slug>-2, -3 when the branch is taken', async () => {
    const repo = makeRepo();
    const home = tempDir();
    const branches: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      const result = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(home, name), slug: 'same', baseBranch: 'main' });
      if (!result.ok) throw new Error(result.message);
      branches.push(result.branch);
    }
    expect(branches).toEqual(['flotilla/same', 'flotilla/same-2', 'flotilla/same-3']);
  });

  it('skips a name blocked by a branch folder (flotilla/x/y blocks flotilla/x)', async () => {
    const repo = makeRepo();
    git(repo, 'branch', 'flotilla/x/y');
    const result = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(tempDir(), 'x'), slug: 'x', baseBranch: 'main' });
    expect(result).toMatchObject({ ok: true, branch: 'flotilla/x-2' });
  });

  it('skips names blocked by a suffixed branch folder (flotilla/x-2/y blocks flotilla/x-2)', async () => {
    const repo = makeRepo();
    git(repo, 'branch', 'flotilla/x');
    git(repo, 'branch', 'flotilla/x-2/y');
    git(repo, 'branch', 'flotilla/x-3-old');
    const result = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(tempDir(), 'x'), slug: 'x', baseBranch: 'main' });
    expect(result).toMatchObject({ ok: true, branch: 'flotilla/x-3' });
  });

  it('refuses a base branch that points at something other than a commit', async () => {
    const repo = makeRepo();
    // git itself refuses to make such a branch; a repo can still hold one.
    fs.writeFileSync(path.join(repo, '.git', 'refs', 'heads', 'tree-branch'), `${revParse(repo, 'HEAD^{tree}')}\n`);
    const result = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(tempDir(), 'w'), slug: 'x', baseBranch: 'tree-branch' });
    expect(result).toMatchObject({ ok: false, kind: 'bad_branch' });
    expect(git(repo, 'branch', '--list', 'flotilla/*').trim()).toBe('');
  });

  it('starts from a base branch checked out in another worktree, leaving that worktree alone', async () => {
    const repo = makeRepo();
    const other = path.join(tempDir(), 'other checkout');
    git(repo, 'worktree', 'add', '--quiet', '-b', 'dev', other);
    const devTip = commitFiles(other, { 'dev.txt': 'dev\n' });
    fs.writeFileSync(path.join(other, 'dev.txt'), 'edited, not committed\n');
    const before = snapshot(other);
    const worktreePath = path.join(tempDir(), 'w');
    const result = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'x', baseBranch: 'dev', listUncommitted: true });
    // Not the branch checked out in the repo's own folder: nothing to say about uncommitted files.
    expect(result).toMatchObject({ ok: true, baseBranch: 'dev', baseCommit: devTip });
    expect(result.ok && (await result.uncommitted)).toEqual([]);
    expect(fs.readFileSync(path.join(worktreePath, 'dev.txt'), 'utf8')).toBe('dev\n');
    expect(snapshot(other)).toEqual(before);
    expect(git(other, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/dev');
  });

  it('lists the checkout\'s uncommitted paths when asked, without writing to the repo\'s index', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    writeFiles(repo, { 'a.txt': 'edited\n', 'new file.txt': 'new\n' });
    // A staged rename: git prints the new path, then the old one as its own field.
    git(repo, 'mv', 'b.txt', 'c.txt');
    const index = fs.readFileSync(path.join(repo, '.git', 'index'));
    const before = snapshot(repo);
    const home = tempDir();
    const fromCheckout = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(home, 'a'), slug: 'a', baseBranch: '', listUncommitted: true });
    expect(fromCheckout).toMatchObject({ ok: true, baseBranch: 'main' });
    expect(fromCheckout.ok && (await fromCheckout.uncommitted).sort()).toEqual(['a.txt', 'c.txt', 'new file.txt']);
    expect(fs.readFileSync(path.join(home, 'a', 'a.txt'), 'utf8')).toBe('a\n');
    expect(fs.existsSync(path.join(home, 'a', 'new file.txt'))).toBe(false);
    const notAsked = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(home, 'b'), slug: 'b', baseBranch: 'main' });
    expect(notAsked.ok && (await notAsked.uncommitted)).toEqual([]);
    expect(snapshot(repo)).toEqual(before);
    expect(fs.readFileSync(path.join(repo, '.git', 'index')).equals(index)).toBe(true);
  });

  it('never collides when many are created at once', async () => {
    const repo = makeRepo();
    const home = tempDir();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, k) =>
        createTaskWorktree({ repoPath: repo, worktreePath: path.join(home, `w ${k}`), slug: 'parallel', baseBranch: 'main' }),
      ),
    );
    const branches = results.map((result) => (result.ok ? result.branch : result.message));
    expect(new Set(branches).size).toBe(6);
    expect(branches.every((branch) => branch.startsWith('flotilla/parallel'))).toBe(true);
    expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(7);
  });

  it('fails with bad_branch naming the missing base and listing branches', async () => {
    const repo = makeRepo();
    git(repo, 'branch', 'develop');
    const worktreePath = path.join(tempDir(), 'w');
    const result = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'x', baseBranch: 'nope' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe('bad_branch');
    expect(result.message).toContain('"nope"');
    expect(result.message).toContain('develop, main');
    expect(fs.existsSync(worktreePath)).toBe(false);
    expect(git(repo, 'branch', '--list', 'flotilla/*').trim()).toBe('');
  });

  it('refuses base names git would read as an option or expand', async () => {
    const repo = makeRepo();
    for (const baseBranch of ['--orphan', '@{-1}', 'a..b', 'HEAD~1']) {
      const result = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(tempDir(), 'w'), slug: 'x', baseBranch });
      expect(result).toMatchObject({ ok: false, kind: 'bad_branch' });
    }
    const badSlug = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(tempDir(), 'w'), slug: 'a..b', baseBranch: 'main' });
    expect(badSlug).toMatchObject({ ok: false, kind: 'invalid_input' });
  });

  it('fails on a detached HEAD when no base is given', async () => {
    const repo = makeRepo();
    git(repo, 'checkout', '--quiet', '--detach');
    const result = await createTaskWorktree({ repoPath: repo, worktreePath: path.join(tempDir(), 'w'), slug: 'x', baseBranch: '' });
    expect(result).toMatchObject({ ok: false, kind: 'bad_branch' });
  });

  it('refuses a worktree path that already holds files', async () => {
    const repo = makeRepo();
    const worktreePath = tempDir();
    fs.writeFileSync(path.join(worktreePath, 'mine.txt'), 'keep me');
    const result = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'x', baseBranch: 'main' });
    expect(result).toMatchObject({ ok: false, kind: 'invalid_state' });
    expect(fs.readFileSync(path.join(worktreePath, 'mine.txt'), 'utf8')).toBe('keep me');
  });

  it('passes on inspect failures (missing repo, not a repo)', async () => {
    const missing = await createTaskWorktree({ repoPath: path.join(tempDir(), 'gone'), worktreePath: path.join(tempDir(), 'w'), slug: 'x', baseBranch: 'main' });
    expect(missing).toMatchObject({ ok: false, kind: 'repo_missing' });
    const plain = await createTaskWorktree({ repoPath: tempDir(), worktreePath: path.join(tempDir(), 'w'), slug: 'x', baseBranch: 'main' });
    expect(plain).toMatchObject({ ok: false, kind: 'not_a_repo' });
  });
});

describe('removeTaskWorktree', () => {
  it('removes the worktree with its uncommitted changes and deletes the branch when asked', async () => {
    const repo = makeRepo();
    const worktreePath = path.join(tempDir(), 'w "q"');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'gone', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    fs.writeFileSync(path.join(worktreePath, 'scratch.txt'), 'dirty');

    await removeTaskWorktree({ repoPath: repo, worktreePath, branch: created.branch, deleteBranch: true });

    expect(fs.existsSync(worktreePath)).toBe(false);
    expect(git(repo, 'worktree', 'list', '--porcelain')).not.toContain(worktreePath);
    expect(git(repo, 'branch', '--list', created.branch).trim()).toBe('');
  });

  it('keeps the branch when not asked to delete it', async () => {
    const repo = makeRepo();
    const worktreePath = path.join(tempDir(), 'w');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'kept', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    await removeTaskWorktree({ repoPath: repo, worktreePath, branch: created.branch, deleteBranch: false });
    expect(fs.existsSync(worktreePath)).toBe(false);
    expect(git(repo, 'branch', '--list', created.branch).trim()).toContain('flotilla/kept');
  });

  it('tolerates a worktree folder deleted by hand, and a second call', async () => {
    const repo = makeRepo();
    const worktreePath = path.join(tempDir(), 'w');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'x', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    fs.rmSync(worktreePath, { recursive: true, force: true });
    await removeTaskWorktree({ repoPath: repo, worktreePath, branch: created.branch, deleteBranch: true });
    await removeTaskWorktree({ repoPath: repo, worktreePath, branch: created.branch, deleteBranch: true });
    expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(git(repo, 'branch', '--list', created.branch).trim()).toBe('');
  });

  it('leaves alone a folder that is not a worktree, and never deletes a non-flotilla branch', async () => {
    const repo = makeRepo();
    const stranger = tempDir();
    fs.writeFileSync(path.join(stranger, 'mine.txt'), 'mine');
    await removeTaskWorktree({ repoPath: repo, worktreePath: stranger, branch: 'flotilla/none', deleteBranch: true });
    expect(fs.readFileSync(path.join(stranger, 'mine.txt'), 'utf8')).toBe('mine');
    await expect(removeTaskWorktree({ repoPath: repo, worktreePath: stranger, branch: 'main', deleteBranch: true })).rejects.toThrow(
      /only deletes/,
    );
    expect(revParse(repo, 'main')).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('removeTaskWorktree, once the repo is gone', () => {
  it('removes the folder when it is a worktree of that repo, and nothing else', async () => {
    const repo = makeRepo();
    const worktreePath = path.join(tempDir(), 'w');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'orphan', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    const other = makeRepo();
    const stranger = path.join(tempDir(), 'stranger');
    git(other, 'worktree', 'add', '--quiet', '-b', 'flotilla/s', stranger);
    fs.rmSync(repo, { recursive: true, force: true });
    expect(repoGoneReason(repo, worktreePath)).toBe(`the repo ${repo} was deleted or moved; the task's files are kept in ${worktreePath}`);

    // A worktree of another repo, given by mistake, is left alone.
    await removeTaskWorktree({ repoPath: repo, worktreePath: stranger, branch: 'flotilla/s', deleteBranch: true });
    expect(fs.existsSync(path.join(stranger, 'README.md'))).toBe(true);
    await removeTaskWorktree({ repoPath: repo, worktreePath, branch: created.branch, deleteBranch: true });
    expect(fs.existsSync(worktreePath)).toBe(false);
    expect(repoGoneReason(repo, worktreePath)).toBe(`the repo ${repo} was deleted or moved`);
    expect(repoGoneReason(other, stranger)).toBeNull();
  });
});

describe('gitPathsOfWorktree', () => {
  it('lists the .git pointer file, the worktree git dir and the common git dir', async () => {
    const repo = makeRepo();
    const worktreePath = path.join(tempDir(), 'w ü');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'paths', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    const paths = await gitPathsOfWorktree(worktreePath);
    const commonDir = path.join(repo, '.git');
    const pointer = path.join(worktreePath, '.git');
    expect(fs.statSync(pointer).isFile()).toBe(true);
    const gitDir = fs.readFileSync(pointer, 'utf8').replace(/^gitdir: /, '').trim();
    expect(paths).toEqual([pointer, gitDir, commonDir]);
    expect(gitDir.startsWith(path.join(commonDir, 'worktrees'))).toBe(true);
    expect(paths.every((p) => path.isAbsolute(p))).toBe(true);
    // The first answer after creating it comes without git; the next asks git: the same paths.
    expect(await gitPathsOfWorktree(worktreePath)).toEqual(paths);
  });

  it('asks git again when the worktree was recreated under another git dir', async () => {
    const repo = makeRepo();
    const worktreePath = path.join(tempDir(), 'w');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath, slug: 'again', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    // Recreated by hand before the first turn, while another worktree took its admin folder
    // name ("w"): git names the new one "w1", and every remembered path still exists.
    fs.rmSync(worktreePath, { recursive: true, force: true });
    git(repo, 'worktree', 'prune');
    git(repo, 'worktree', 'add', '--quiet', '--detach', path.join(tempDir(), 'w'));
    git(repo, 'worktree', 'add', '--quiet', worktreePath, created.branch);
    const gitDir = fs.readFileSync(path.join(worktreePath, '.git'), 'utf8').replace(/^gitdir: /, '').trim();
    expect(path.basename(gitDir)).not.toBe('w');
    expect(await gitPathsOfWorktree(worktreePath)).toEqual([path.join(worktreePath, '.git'), gitDir, path.join(repo, '.git')]);
  });
});
