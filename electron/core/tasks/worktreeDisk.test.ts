import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repo, Task } from '../../../shared/model/task.js';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import { makeTempRepo, type TempRepo } from '../../../test/fixtures/tempRepo.js';
import { DEFAULT_REPO_SETTINGS } from '../store/repoStore.js';
import { parsePorcelainZ } from '../git/worktreeRecovery.js';
import { removeWorktreeFolder, UNCOMMITTED_SAMPLE, worktreeUsage } from './worktreeDisk.js';

let home: string;
let repo: TempRepo;
let tasks: Task[];

const repoRecord = (id: string, name: string): Repo => ({ id, name, path: repo.path, defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
const store = { list: () => tasks };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t.invalid', ...args], { cwd, encoding: 'utf8' });
}

/** A real linked worktree of the temp repo at FLOTILLA_HOME/worktrees/<repoDir>/<name>. */
function addWorktree(repoDir: string, name: string): string {
  const folder = path.join(home, 'worktrees', repoDir, name);
  fs.mkdirSync(path.dirname(folder), { recursive: true });
  git(repo.path, 'worktree', 'add', '-q', '-b', `wt/${repoDir}-${name}`, folder);
  return folder;
}

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-disk-'));
  repo = await makeTempRepo({ files: { 'README.md': '# demo\n', 'src/a.txt': 'a\n' } });
  tasks = [];
});

afterEach(async () => {
  fs.rmSync(home, { recursive: true, force: true });
  await repo.cleanup();
});

describe('worktreeUsage', () => {
  it('names the owning task and its repo, and the repo of a folder no task owns', async () => {
    const owned = addWorktree('r1', 'fix-login');
    const orphan = addWorktree('r1', 'leftover');
    const stranger = path.join(home, 'worktrees', 'gone-repo', 'old');
    fs.mkdirSync(stranger, { recursive: true });
    tasks = [taskRecord({ id: 't1', title: 'Fix the login', repoName: 'shop', status: 'review', worktreePath: owned })];

    const usage = await worktreeUsage({ home, tasks: store, repos: { list: () => [repoRecord('r1', 'shop')] } });

    expect(usage.find((w) => w.path === owned)).toMatchObject({ taskId: 't1', taskStatus: 'review', taskTitle: 'Fix the login', repoName: 'shop' });
    expect(usage.find((w) => w.path === orphan)).toMatchObject({ taskId: null, taskStatus: null, taskTitle: null, repoName: 'shop' });
    expect(usage.find((w) => w.path === stranger)).toMatchObject({ taskId: null, repoName: null });
  });

  it('counts uncommitted changes and names the first few, largest worktree first', async () => {
    const clean = addWorktree('r1', 'clean');
    const dirty = addWorktree('r1', 'dirty');
    fs.writeFileSync(path.join(dirty, 'README.md'), '# edited\n');
    for (let n = 0; n < UNCOMMITTED_SAMPLE + 2; n += 1) fs.writeFileSync(path.join(dirty, `new-${n}.txt`), 'x'.repeat(50_000));

    const usage = await worktreeUsage({ home, tasks: store, repos: { list: () => [] } });

    expect(usage.map((w) => w.path)).toEqual([dirty, clean]);
    expect(usage[0]?.bytes).toBeGreaterThan(300_000);
    expect(usage[0]?.uncommitted.count).toBe(UNCOMMITTED_SAMPLE + 3);
    expect(usage[0]?.uncommitted.paths).toHaveLength(UNCOMMITTED_SAMPLE);
    expect(usage[0]?.uncommitted.paths).toContain('README.md');
    expect(usage[1]?.uncommitted).toEqual({ count: 0, paths: [], error: null });
  });

  it('reports a plain folder (not a worktree) as clean, not as the status of a repo around it', async () => {
    // FLOTILLA_HOME inside a dirty git repo: `git status` in a plain folder would answer for that repo.
    git(home, 'init', '-q');
    fs.writeFileSync(path.join(home, 'stray.txt'), 'x');
    const plain = path.join(home, 'worktrees', 'r1', 'plain');
    fs.mkdirSync(plain, { recursive: true });
    fs.writeFileSync(path.join(plain, 'data.bin'), 'x'.repeat(10_000));

    const [usage] = await worktreeUsage({ home, tasks: store, repos: { list: () => [] } });

    expect(usage).toMatchObject({ path: plain, uncommitted: { count: 0, paths: [], error: null } });
    expect(usage?.bytes).toBeGreaterThanOrEqual(10_000);
  });

  it('lists nothing when there is no worktrees folder', async () => {
    expect(await worktreeUsage({ home, tasks: store, repos: { list: () => [] } })).toEqual([]);
  });
});

describe('removeWorktreeFolder', () => {
  it('refuses a live task’s worktree and keeps uncommitted work unless confirmed', async () => {
    const live = addWorktree('r1', 'live');
    const orphan = addWorktree('r1', 'orphan');
    fs.writeFileSync(path.join(orphan, 'unsaved.txt'), 'work\n');
    tasks = [taskRecord({ id: 't1', status: 'failed', worktreePath: live })];

    const refused = await removeWorktreeFolder({ home, tasks: store, folder: live, isUncommittedWorkConfirmed: true });
    expect(refused).toMatchObject({ ok: false, kind: 'invalid_state' });
    expect(fs.existsSync(live)).toBe(true);

    const unconfirmed = await removeWorktreeFolder({ home, tasks: store, folder: orphan, isUncommittedWorkConfirmed: false });
    expect(unconfirmed).toMatchObject({ ok: false, kind: 'invalid_state' });
    expect(fs.readFileSync(path.join(orphan, 'unsaved.txt'), 'utf8')).toBe('work\n');

    expect(await removeWorktreeFolder({ home, tasks: store, folder: orphan, isUncommittedWorkConfirmed: true })).toEqual({ ok: true });
    expect(fs.existsSync(orphan)).toBe(false);
    expect(git(repo.path, 'worktree', 'list')).not.toContain('orphan');
    // Nothing is lost: the uncommitted file was archived before the folder went.
    expect(git(repo.path, 'show', 'refs/flotilla/archive/orphan-orphan:unsaved.txt')).toBe('work\n');
  });

  it('never deletes a folder git could not inspect, even when the user confirmed uncommitted work', async () => {
    const broken = addWorktree('r1', 'broken');
    fs.writeFileSync(path.join(broken, 'unsaved.txt'), 'work\n');
    // Its `.git` pointer leads nowhere: `git status` fails there.
    fs.writeFileSync(path.join(broken, '.git'), 'gitdir: /nonexistent/flotilla-test\n');

    const [usage] = (await worktreeUsage({ home, tasks: store, repos: { list: () => [] } })).filter((w) => w.path === broken);
    expect(usage?.uncommitted.error).toMatch(/not a git repository/);

    const refused = await removeWorktreeFolder({ home, tasks: store, folder: broken, isUncommittedWorkConfirmed: true });
    expect(refused).toMatchObject({ ok: false, kind: 'invalid_state', message: expect.stringContaining('could not be inspected') });
    expect(fs.readFileSync(path.join(broken, 'unsaved.txt'), 'utf8')).toBe('work\n');
  });
});

describe('parsePorcelainZ', () => {
  it('reads paths, skipping the old path of a rename', () => {
    expect(parsePorcelainZ('M  a.txt\0R  new name.txt\0old name.txt\0?? dir/b.txt\0')).toEqual(['a.txt', 'new name.txt', 'dir/b.txt']);
    expect(parsePorcelainZ('')).toEqual([]);
  });
});
