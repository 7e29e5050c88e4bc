import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runApplyPatch, runReadFile, patchFromShellCommand } from './editTools.js';
import { applyChunks, parsePatch } from './patchFormat.js';

let dir: string;
let worktree: string;
let target: { worktreePath: string; readOnlyPaths: string[] };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-patch-'));
  worktree = path.join(dir, 'worktree');
  fs.mkdirSync(path.join(worktree, 'src'), { recursive: true });
  fs.writeFileSync(path.join(worktree, '.git'), 'gitdir: /somewhere\n');
  fs.writeFileSync(path.join(worktree, 'src', 'app.ts'), 'function a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n');
  target = { worktreePath: worktree, readOnlyPaths: [path.join(worktree, '.git')] };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => fs.readFileSync(path.join(worktree, file), 'utf8');

describe('apply_patch', () => {
  it('adds, updates (with an @@ anchor), moves and deletes files in one patch', async () => {
    fs.writeFileSync(path.join(worktree, 'old.txt'), 'bye\n');
    const result = await runApplyPatch(
      target,
      [
        '*** Begin Patch',
        '*** Add File: docs/new notes é.md',
        '+# Notes',
        '+second line',
        '*** Update File: src/app.ts',
        '*** Move to: src/main.ts',
        '@@ function b() {',
        '-  return 2;',
        '+  return 3;',
        '*** Delete File: old.txt',
        '*** End Patch',
      ].join('\n'),
    );
    expect(result).toEqual({ ok: true, output: 'Applied:\nA docs/new notes é.md\nA src/main.ts\nD src/app.ts\nD old.txt' });
    expect(read('docs/new notes é.md')).toBe('# Notes\nsecond line\n');
    expect(read('src/main.ts')).toBe('function a() {\n  return 1;\n}\n\nfunction b() {\n  return 3;\n}\n');
    expect(fs.existsSync(path.join(worktree, 'src', 'app.ts'))).toBe(false);
    expect(fs.existsSync(path.join(worktree, 'old.txt'))).toBe(false);
  });

  it('matches lines whose trailing whitespace the model got wrong, and says which change did not match', () => {
    expect(applyChunks(['a  ', 'b'], [{ anchor: null, oldLines: ['a'], newLines: ['A'], isEndOfFile: false }], 'f')).toEqual({ ok: true, lines: ['A', 'b'] });
    const missing = applyChunks(['a'], [{ anchor: null, oldLines: ['zzz'], newLines: ['y'], isEndOfFile: false }], 'f');
    expect(missing).toEqual({ ok: false, error: 'f: change 1: these lines were not found: "zzz"' });
  });

  it('changes nothing when one file of the patch does not apply', async () => {
    const result = await runApplyPatch(target, '*** Begin Patch\n*** Add File: a.txt\n+a\n*** Update File: src/app.ts\n-no such line\n+x\n*** End Patch');
    expect(result.ok).toBe(false);
    expect(result.output).toContain('these lines were not found');
    expect(fs.existsSync(path.join(worktree, 'a.txt'))).toBe(false);
  });

  it('stays in the worktree: no path outside, through a link, onto a link, into .git, or onto a FIFO', async () => {
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET\n');
    fs.symlinkSync(outside, path.join(worktree, 'linked'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(worktree, 'secret-link.txt'));
    execFileSync('mkfifo', [path.join(worktree, 'pipe')]);
    const attempts: [string, RegExp][] = [
      ['*** Add File: ../escape.txt\n+x', /outside the worktree/],
      [`*** Add File: ${path.join(outside, 'abs.txt')}\n+x`, /outside the worktree/],
      ['*** Add File: linked/planted.txt\n+x', /goes through the symbolic link linked/],
      ['*** Add File: linked/deeper/planted.txt\n+x', /goes through the symbolic link linked/],
      ['*** Update File: secret-link.txt\n-SECRET\n+changed', /is a symbolic link/],
      ['*** Delete File: linked/secret.txt', /goes through the symbolic link/],
      ['*** Add File: .git/hooks/pre-commit\n+#!/bin/sh', /git's files are read-only/],
      ['*** Update File: .git\n-gitdir: /somewhere\n+gitdir: /elsewhere', /git's files are read-only/],
      ['*** Update File: pipe\n-a\n+b', /not a regular file/],
      ['*** Update File: src/app.ts\n*** Move to: linked/moved.ts\n-  return 1;\n+  return 9;', /goes through the symbolic link/],
    ];
    for (const [body, expected] of attempts) {
      const result = await runApplyPatch(target, `*** Begin Patch\n${body}\n*** End Patch`);
      expect(result.ok, body).toBe(false);
      expect(result.output, body).toMatch(expected);
    }
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('SECRET\n');
    expect(read('src/app.ts')).toContain('return 1;');
  });

  it('says what is wrong with a malformed patch', () => {
    expect(parsePatch('hello')).toEqual({ ok: false, error: 'the patch must start with "*** Begin Patch"' });
    expect(parsePatch('*** Begin Patch\n*** Add File: a\nno plus\n*** End Patch')).toMatchObject({ ok: false, error: expect.stringContaining('starts with "+"') });
    expect(parsePatch('*** Begin Patch\n*** End Patch')).toEqual({ ok: false, error: 'the patch changes nothing' });
  });

  it('takes the patch out of `apply_patch <<EOF` shell commands', () => {
    expect(patchFromShellCommand("apply_patch <<'EOF'\n*** Begin Patch\n*** Delete File: a\n*** End Patch\nEOF\n")).toBe('*** Begin Patch\n*** Delete File: a\n*** End Patch');
    expect(patchFromShellCommand('ls -la')).toBeNull();
  });
});

describe('read_file', () => {
  it('reads numbered lines of a range, and refuses links, FIFOs and binaries', async () => {
    const range = await runReadFile(target, { path: 'src/app.ts', startLine: 5, endLine: 6 });
    expect(range).toEqual({ ok: true, output: '5\tfunction b() {\n6\t  return 2;\n[lines 7–7 not shown: read them with start_line]' });
    fs.symlinkSync('/etc/passwd', path.join(worktree, 'passwd'));
    expect((await runReadFile(target, { path: 'passwd', startLine: 1, endLine: null })).output).toMatch(/is a symbolic link/);
    execFileSync('mkfifo', [path.join(worktree, 'pipe')]);
    expect((await runReadFile(target, { path: 'pipe', startLine: 1, endLine: null })).output).toMatch(/not a regular file/);
    fs.writeFileSync(path.join(worktree, 'blob.bin'), Buffer.from([1, 0, 2]));
    expect((await runReadFile(target, { path: 'blob.bin', startLine: 1, endLine: null })).output).toMatch(/a binary file/);
    expect((await runReadFile(target, { path: '../outside', startLine: 1, endLine: null })).output).toMatch(/outside the worktree/);
  });
});
