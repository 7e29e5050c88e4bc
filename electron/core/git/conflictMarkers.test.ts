import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conflictMarkersLeft } from './conflictMarkers.js';
import { mergeBaseIntoTask } from './resolveConflicts.js';
import { createTaskWorktree } from './worktrees.js';
import { commitFiles, makeRepo, removeTempDirs, revParse, tempDir } from './testRepos.js';

afterAll(removeTempDirs);

/** A task whose two files conflict with main, merged in with markers by Resolve with agent. */
async function markedTask() {
  const repo = makeRepo({ 'a b ü.txt': 'one\ntwo\n', 'crlf.txt': 'x\r\ny\r\n', 'notes.md': 'Title\n=======\n' });
  const worktree = path.join(tempDir('worktrees ü'), 'task');
  const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'task', baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);
  commitFiles(worktree, { 'a b ü.txt': 'one\nTASK\n', 'crlf.txt': 'x\r\nTASK\r\n' }, 'task work');
  commitFiles(repo, { 'a b ü.txt': 'one\nUSER\n', 'crlf.txt': 'x\r\nUSER\r\n' }, 'user work');
  const marked = await mergeBaseIntoTask({ repoPath: repo, worktreePath: worktree, branch: created.branch, baseBranch: 'main' });
  if (!marked.ok) throw new Error(marked.message);
  return { repo, worktree, branch: created.branch };
}

describe('conflictMarkersLeft', () => {
  it('names the conflicted files that still hold markers (CRLF too), and none once resolved', async () => {
    const { repo, worktree, branch } = await markedTask();
    expect(await conflictMarkersLeft(repo, revParse(repo, branch), 'main')).toEqual(['a b ü.txt', 'crlf.txt']);

    // One resolved; a file that never conflicted may hold a '=======' line of its own.
    commitFiles(worktree, { 'a b ü.txt': 'one\nUSER and TASK\n' }, 'half resolved');
    expect(await conflictMarkersLeft(repo, revParse(repo, branch), 'main')).toEqual(['crlf.txt']);
    commitFiles(worktree, { 'crlf.txt': 'x\r\nboth\r\n' }, 'resolved');
    expect(await conflictMarkersLeft(repo, revParse(repo, branch), 'main')).toEqual([]);
  });

  it('finds nothing on a branch that never went through Resolve with agent, or whose base is gone', async () => {
    const repo = makeRepo({ 'conflict.txt': '<<<<<<< a literal marker in a test fixture\n' });
    expect(await conflictMarkersLeft(repo, revParse(repo, 'main'), 'main')).toEqual([]);
    const { repo: marked, branch } = await markedTask();
    expect(await conflictMarkersLeft(marked, revParse(marked, branch), 'no-such-base')).toEqual([]);
  });
});
