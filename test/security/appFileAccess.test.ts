import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TaskEventBody } from '../../shared/model/taskEvents.js';
import { isSafeRelativePath } from '../../electron/core/repos/repoService.js';
import { prepareWorktree } from '../../electron/core/tasks/worktreeSetup.js';
import { DEFAULT_REPO_SETTINGS } from '../../electron/core/store/repoStore.js';

/**
 * SECURITY.md promise 11: what the host itself reads or writes for a task stays inside the
 * repo and the worktree, symlinks included. (Diffs come from git, never from file paths.)
 */

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function dir(name: string): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-files-'));
  made.push(parent);
  const full = path.join(parent, name);
  fs.mkdirSync(full);
  return full;
}

async function copy(repo: string, worktree: string, copyFiles: string[]): Promise<TaskEventBody[]> {
  const notes: TaskEventBody[] = [];
  await prepareWorktree({
    repoPath: repo,
    worktreePath: worktree,
    settings: { ...DEFAULT_REPO_SETTINGS, copyFiles },
    // No setup script: the copy alone, nothing asks for a sandbox.
    sandbox: () => Promise.reject(new Error('no script runs here')),
    timeoutMs: 10_000,
    signal: new AbortController().signal,
    record: (body) => notes.push(body),
  });
  return notes;
}

describe('files copied into a new worktree', () => {
  it('copies a regular file', async () => {
    const repo = dir('repo');
    const worktree = dir('worktree');
    fs.writeFileSync(path.join(repo, '.env'), 'A=1\n');
    expect(await copy(repo, worktree, ['.env'])).toEqual([]);
    expect(fs.readFileSync(path.join(worktree, '.env'), 'utf8')).toBe('A=1\n');
  });

  it('never follows a symlink in the repo to a secret elsewhere', async () => {
    const repo = dir('repo');
    const worktree = dir('worktree');
    const secret = path.join(dir('home'), 'id_rsa');
    fs.writeFileSync(secret, 'PRIVATE KEY\n');
    fs.symlinkSync(secret, path.join(repo, '.env'));
    const notes = await copy(repo, worktree, ['.env']);
    expect(fs.existsSync(path.join(worktree, '.env'))).toBe(false);
    expect(JSON.stringify(notes)).toContain('not a regular file');
  });

  it('never writes through a symlinked folder in the worktree to outside it', async () => {
    const repo = dir('repo');
    const worktree = dir('worktree');
    const elsewhere = dir('elsewhere');
    fs.mkdirSync(path.join(repo, 'config'));
    fs.writeFileSync(path.join(repo, 'config', 'local.json'), '{}');
    fs.symlinkSync(elsewhere, path.join(worktree, 'config'));
    const notes = await copy(repo, worktree, ['config/local.json']);
    expect(fs.existsSync(path.join(elsewhere, 'local.json'))).toBe(false);
    expect(JSON.stringify(notes)).toContain('outside the worktree');
  });

  it('takes only relative paths that stay inside', () => {
    for (const bad of ['../x', '/etc/passwd', '..', 'a/../../b', '']) expect(isSafeRelativePath(bad)).toBe(false);
    for (const good of ['.env', 'config/local.json', 'a/../b']) expect(isSafeRelativePath(good)).toBe(true);
  });
});
