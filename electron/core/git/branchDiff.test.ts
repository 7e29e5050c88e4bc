import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileDiff } from '../../../shared/model/diff.js';
import { branchDiff, capPatch, MAX_PATCH_BYTES, parseRawAndNumstat, splitPatch, turnDiff } from './branchDiff.js';
import { commitFiles, git, makeRepo, removeTempDirs, revParse, writeFiles } from './testRepos.js';

afterAll(removeTempDirs);

function byPath(files: FileDiff[]): Record<string, FileDiff> {
  return Object.fromEntries(files.map((file) => [file.path, file]));
}

describe('branchDiff', () => {
  it('lists each changed file with its change, counts and own patch', async () => {
    const repo = makeRepo({
      'edit.txt': 'one\ntwo\nthree\n',
      'remove.txt': 'bye\nbye\n',
      'move me.txt': 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n',
      'logo.bin': Buffer.from([0, 1, 2, 3, 0, 255]),
      'link-or-file': 'plain file\n',
    });
    git(repo, 'checkout', '--quiet', '-b', 'flotilla/t');
    writeFiles(repo, {
      'edit.txt': 'one\n2\nthree\nfour\n',
      'remove.txt': null,
      'move me.txt': null,
      'moved/déjà vu "x".txt': 'line 1\nline 2\nline 3\nline 4\nline 5\nline six\n',
      'logo.bin': Buffer.from([0, 9, 9, 9, 0, 255]),
      'new\tfile.txt': 'fresh\n',
      'link-or-file': null,
    });
    fs.symlinkSync('edit.txt', path.join(repo, 'link-or-file'));
    const tip = commitFiles(repo, {}, 'task work');
    const base = revParse(repo, 'main');

    const diff = await branchDiff({ repoPath: repo, branch: 'flotilla/t', baseBranch: 'main' });

    expect(diff.fromCommit).toBe(base);
    expect(diff.toCommit).toBe(tip);
    const files = byPath(diff.files);
    expect(Object.keys(files).sort()).toEqual(
      ['edit.txt', 'link-or-file', 'logo.bin', 'moved/déjà vu "x".txt', 'new\tfile.txt', 'remove.txt'].sort(),
    );
    expect(files['edit.txt']).toMatchObject({ change: 'modified', oldPath: null, additions: 2, deletions: 1, isTruncated: false });
    expect(files['edit.txt']?.patch).toMatch(/^diff --git a\/edit.txt b\/edit.txt\n/);
    expect(files['edit.txt']?.patch).toContain('-two\n+2\n');
    expect(files['edit.txt']?.patch).not.toContain('remove.txt');
    expect(files['remove.txt']).toMatchObject({ change: 'deleted', additions: 0, deletions: 2 });
    expect(files['remove.txt']?.patch).toContain('deleted file mode');
    expect(files['new\tfile.txt']).toMatchObject({ change: 'added', additions: 1, deletions: 0 });
    expect(files['new\tfile.txt']?.patch).toContain('+fresh');
    expect(files['moved/déjà vu "x".txt']).toMatchObject({ change: 'renamed', oldPath: 'move me.txt', additions: 1, deletions: 1 });
    expect(files['moved/déjà vu "x".txt']?.patch).toContain('rename from move me.txt');
    expect(files['logo.bin']).toMatchObject({ change: 'binary', patch: '', additions: 0, deletions: 0 });
    // File -> symlink: git prints it as two patches; both belong to this one entry.
    expect(files['link-or-file']).toMatchObject({ change: 'modified' });
    expect(files['link-or-file']?.patch.match(/^diff --git /gm)).toHaveLength(2);
    expect(files['link-or-file']?.patch).toContain('+edit.txt');
  });

  it('diffs from the merge base, so later base commits and uncommitted edits are not in it', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const forkPoint = revParse(repo, 'main');
    git(repo, 'checkout', '--quiet', '-b', 'flotilla/t');
    commitFiles(repo, { 'task.txt': 'task\n' });
    writeFiles(repo, { 'task.txt': 'uncommitted\n', 'loose.txt': 'loose\n' });
    git(repo, 'stash', '--include-untracked', '--quiet');
    git(repo, 'checkout', '--quiet', 'main');
    commitFiles(repo, { 'a.txt': 'base moved on\n', 'base-only.txt': 'b\n' });
    git(repo, 'checkout', '--quiet', 'flotilla/t');
    git(repo, 'stash', 'pop', '--quiet');

    const diff = await branchDiff({ repoPath: repo, branch: 'flotilla/t', baseBranch: 'main' });

    expect(diff.fromCommit).toBe(forkPoint);
    expect(diff.files.map((file) => file.path)).toEqual(['task.txt']);
    expect(diff.files[0]?.patch).toContain('+task\n');
  });

  it('cuts a patch over 256 KiB at a line end and marks it truncated; counts stay whole', async () => {
    const repo = makeRepo({ 'small.txt': 'x\n' });
    git(repo, 'checkout', '--quiet', '-b', 'flotilla/big');
    const lines = Array.from({ length: 20_000 }, (_, k) => `line ${k} ü ${'x'.repeat(20)}`);
    commitFiles(repo, { 'big.txt': `${lines.join('\n')}\n`, 'small.txt': 'y\n' });

    const diff = await branchDiff({ repoPath: repo, branch: 'flotilla/big', baseBranch: 'main' });
    const files = byPath(diff.files);

    expect(files['big.txt']?.isTruncated).toBe(true);
    expect(files['big.txt']?.additions).toBe(20_000);
    expect(Buffer.byteLength(files['big.txt']?.patch ?? '')).toBeLessThanOrEqual(MAX_PATCH_BYTES);
    expect(files['big.txt']?.patch.endsWith('\n')).toBe(true);
    expect(files['small.txt']).toMatchObject({ isTruncated: false, additions: 1, deletions: 1 });
  });

  it('returns no files when the branch has no commits of its own', async () => {
    const repo = makeRepo();
    git(repo, 'branch', 'flotilla/empty');
    const diff = await branchDiff({ repoPath: repo, branch: 'flotilla/empty', baseBranch: 'main' });
    expect(diff.files).toEqual([]);
    expect(diff.fromCommit).toBe(diff.toCommit);
  });

  it('throws for a missing branch', async () => {
    const repo = makeRepo();
    await expect(branchDiff({ repoPath: repo, branch: 'flotilla/none', baseBranch: 'main' })).rejects.toThrow(/does not exist/);
    await expect(branchDiff({ repoPath: repo, branch: 'main', baseBranch: '--output=/tmp/x' })).rejects.toThrow(/does not exist/);
  });
});

describe('diff parsing helpers', () => {
  it('parses raw + numstat records, renames and binaries included', () => {
    const output =
      ':100644 100644 aaa bbb M\0a.txt\0:100644 100644 ccc ccc R100\0old name\0:odd/new\0:000000 100644 000 ddd A\0img.png\0' +
      '3\t1\ta.txt\0' +
      '0\t0\t\0old name\0:odd/new\0' +
      '-\t-\timg.png\0';
    expect(parseRawAndNumstat(output)).toEqual([
      { status: 'M', path: 'a.txt', oldPath: null, additions: 3, deletions: 1, isBinary: false },
      { status: 'R', path: ':odd/new', oldPath: 'old name', additions: 0, deletions: 0, isBinary: false },
      { status: 'A', path: 'img.png', oldPath: null, additions: 0, deletions: 0, isBinary: true },
    ]);
  });

  it('splits a patch at each diff --git header', () => {
    const patch = 'diff --git a/x b/x\n+diff --git inside\n diff --git context\ndiff --git a/y b/y\n-old\n';
    expect(splitPatch(patch)).toEqual(['diff --git a/x b/x\n+diff --git inside\n diff --git context\n', 'diff --git a/y b/y\n-old\n']);
    expect(splitPatch('')).toEqual([]);
  });

  it('caps by bytes without splitting a character', () => {
    expect(capPatch('abc\ndef\n', 100)).toEqual({ text: 'abc\ndef\n', isTruncated: false });
    expect(capPatch('abc\ndef\n', 6)).toEqual({ text: 'abc\n', isTruncated: true });
    expect(capPatch('üüü', 3)).toEqual({ text: 'ü', isTruncated: true });
  });
});

describe('turnDiff and sensitive files', () => {
  it("shows only one turn's checkpoint against the commit before it, with sensitive files flagged", async () => {
    const repo = makeRepo({ 'package.json': '{"name":"x","version":"1.0.0","scripts":{"test":"vitest"}}\n', 'a.txt': 'a\n' });
    git(repo, 'checkout', '--quiet', '-b', 'flotilla/t');
    const turn1 = commitFiles(repo, { 'a.txt': 'a\nturn one\n', 'package.json': '{"name":"x","version":"1.0.1","scripts":{"test":"vitest"}}\n' }, 'turn 1');
    const turn2 = commitFiles(
      repo,
      { 'b.txt': 'turn two\n', '.github/workflows/ci.yml': 'on: push\n', 'package.json': '{"name":"x","version":"1.0.1","scripts":{"test":"vitest","postinstall":"sh x"}}\n' },
      'turn 2',
    );

    const first = await turnDiff({ repoPath: repo, checkpoint: turn1, turn: 1 });
    expect(first).toMatchObject({ toCommit: turn1, turn: 1 });
    expect(byPath(first.files)['a.txt']).toMatchObject({ additions: 1, sensitive: false });
    // A version bump leaves the scripts alone: not flagged.
    expect(byPath(first.files)['package.json']).toMatchObject({ sensitive: false, sensitiveReason: null });

    const second = await turnDiff({ repoPath: repo, checkpoint: turn2, turn: 2 });
    expect(second.fromCommit).toBe(turn1);
    expect(Object.keys(byPath(second.files)).sort()).toEqual(['.github/workflows/ci.yml', 'b.txt', 'package.json']);
    expect(byPath(second.files)['.github/workflows/ci.yml']).toMatchObject({ sensitive: true, sensitiveReason: 'CI workflow' });
    expect(byPath(second.files)['package.json']).toMatchObject({ sensitive: true, sensitiveReason: 'package.json scripts changed' });
    expect(byPath(second.files)['b.txt']).toMatchObject({ sensitive: false });

    const whole = await branchDiff({ repoPath: repo, branch: 'flotilla/t', baseBranch: 'main' });
    expect(whole.turn).toBeUndefined();
    expect(whole.files.map((f) => f.path).sort()).toEqual(['.github/workflows/ci.yml', 'a.txt', 'b.txt', 'package.json']);
  });
});
