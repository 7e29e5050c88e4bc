import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectRepo, listBranches } from './repoInspect.js';
import { commitFiles, git, makeRepo, removeTempDirs, revParse, tempDir } from './testRepos.js';

afterAll(removeTempDirs);

describe('inspectRepo', () => {
  it('describes a repo whose path has spaces, quotes and unicode', async () => {
    const repo = makeRepo();
    expect(repo).toMatch(/my répo ü 'q'$/);
    const result = await inspectRepo(repo);
    expect(result).toEqual({
      ok: true,
      root: repo,
      name: "my répo ü 'q'",
      currentBranch: 'main',
      headCommit: revParse(repo, 'HEAD'),
      commonDir: path.join(repo, '.git'),
    });
  });

  it('finds the top level from a subfolder and through a symlink', async () => {
    const repo = makeRepo({ 'src/deep/file.txt': 'x\n' });
    const link = path.join(path.dirname(repo), 'link to repo');
    fs.symlinkSync(repo, link);
    const fromSub = await inspectRepo(path.join(repo, 'src', 'deep'));
    const fromLink = await inspectRepo(link);
    expect(fromSub.ok && fromSub.root).toBe(repo);
    expect(fromLink.ok && fromLink.root).toBe(repo);
  });

  it('reports a missing path as repo_missing', async () => {
    const result = await inspectRepo(path.join(tempDir(), 'gone'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe('repo_missing');
    expect(result.message).toContain('does not exist');
  });

  it('reports a plain folder and a file as not_a_repo', async () => {
    const plain = tempDir();
    const result = await inspectRepo(plain);
    expect(result).toMatchObject({ ok: false, kind: 'not_a_repo' });
    if (!result.ok) expect(result.message).toContain('git init');
    const file = path.join(plain, 'file.txt');
    fs.writeFileSync(file, 'x');
    expect(await inspectRepo(file)).toMatchObject({ ok: false, kind: 'not_a_repo' });
  });

  it('reports a bare repo and a .git folder as not_a_repo', async () => {
    const bare = tempDir('bare répo.git');
    git(bare, 'init', '--quiet', '--bare');
    const result = await inspectRepo(bare);
    expect(result).toMatchObject({ ok: false, kind: 'not_a_repo' });
    if (!result.ok) expect(result.message).toContain('bare');
    const repo = makeRepo();
    expect(await inspectRepo(path.join(repo, '.git'))).toMatchObject({ ok: false, kind: 'not_a_repo' });
  });

  it('reports a linked worktree as not_a_repo, naming the repo to add instead', async () => {
    const repo = makeRepo();
    const linked = path.join(tempDir(), 'linked ü');
    git(repo, 'worktree', 'add', '--quiet', '-b', 'side', linked);
    const result = await inspectRepo(path.join(linked));
    expect(result).toMatchObject({ ok: false, kind: 'not_a_repo' });
    if (!result.ok) expect(result.message).toBe(`${linked} is a linked worktree (made by \`git worktree add\`), not a repository's main folder. Add its repository instead: ${repo}`);
  });

  it('reports a linked worktree of a bare repo with the way out (clone it)', async () => {
    const bare = tempDir('bare.git');
    git(bare, 'init', '--quiet', '--bare', '--initial-branch=main');
    const seed = makeRepo();
    git(seed, 'push', '--quiet', bare, 'main');
    const linked = path.join(tempDir(), 'wt');
    git(bare, 'worktree', 'add', '--quiet', linked, 'main');
    const result = await inspectRepo(linked);
    expect(result).toMatchObject({ ok: false, kind: 'not_a_repo' });
    if (!result.ok) expect(result.message).toContain(`Its repository ${bare} is bare: clone it`);
  });

  it('reports a repo without commits as no_commits', async () => {
    const dir = tempDir();
    git(dir, 'init', '--quiet');
    const result = await inspectRepo(dir);
    expect(result).toMatchObject({ ok: false, kind: 'no_commits' });
    if (!result.ok) expect(result.message).toContain('first commit');
  });

  it('returns currentBranch "" for a detached HEAD', async () => {
    const repo = makeRepo();
    const first = revParse(repo, 'HEAD');
    commitFiles(repo, { 'b.txt': 'b\n' });
    git(repo, 'checkout', '--quiet', '--detach', first);
    const result = await inspectRepo(repo);
    expect(result).toMatchObject({ ok: true, currentBranch: '', headCommit: first });
  });

  it('ignores GIT_DIR and GIT_WORK_TREE inherited by the host', async () => {
    const repo = makeRepo();
    const other = makeRepo();
    process.env.GIT_DIR = path.join(other, '.git');
    process.env.GIT_WORK_TREE = other;
    try {
      const result = await inspectRepo(repo);
      expect(result.ok && result.root).toBe(repo);
    } finally {
      delete process.env.GIT_DIR;
      delete process.env.GIT_WORK_TREE;
    }
  });
});

describe('listBranches', () => {
  it('lists local branches (also ones shadowed by a tag) and the current one', async () => {
    const repo = makeRepo();
    git(repo, 'branch', 'feature/x');
    git(repo, 'branch', 'dev');
    git(repo, 'tag', 'dev');
    git(repo, 'checkout', '--quiet', 'dev');
    expect(await listBranches(repo)).toEqual({ branches: ['dev', 'feature/x', 'main'], current: 'dev' });
  });
});
