import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTS_MD_MAX_BYTES, buildInstructions, loadInstructions } from './agentInstructions.js';

let dir: string;
let home: string;
let worktree: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-instructions-'));
  home = path.join(dir, 'home');
  worktree = path.join(dir, 'worktree');
  fs.mkdirSync(home);
  fs.mkdirSync(worktree);
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the instructions of a turn', () => {
  it('describes the sandboxed worktree, and adds AGENTS.md when present', async () => {
    const without = await buildInstructions(worktree);
    expect(without).toContain('worktree');
    expect(without).toContain('without network');
    fs.writeFileSync(path.join(worktree, 'AGENTS.md'), 'Use tabs. Run `make check`.\n');
    const withFile = await buildInstructions(worktree);
    expect(withFile.startsWith(without)).toBe(true);
    expect(withFile).toContain('Use tabs. Run `make check`.');
  });

  it('puts the global AGENTS.md first, then the folders from the root down to the working directory; an override replaces its folder’s file', async () => {
    fs.writeFileSync(path.join(home, 'AGENTS.md'), 'GLOBAL: be brief.\n');
    fs.writeFileSync(path.join(worktree, 'AGENTS.md'), 'ROOT: use tabs.\n');
    fs.mkdirSync(path.join(worktree, 'packages', 'web'), { recursive: true });
    fs.writeFileSync(path.join(worktree, 'packages', 'AGENTS.md'), 'PACKAGES: plain.\n');
    fs.writeFileSync(path.join(worktree, 'packages', 'AGENTS.override.md'), 'PACKAGES OVERRIDE.\n');
    fs.writeFileSync(path.join(worktree, 'packages', 'web', 'AGENTS.md'), 'WEB: use pnpm.\n');
    const loaded = await loadInstructions({ home, worktreePath: worktree, cwd: path.join(worktree, 'packages', 'web') });
    expect(loaded.sources.map((source) => [source.scope, source.path])).toEqual([
      ['global', path.join(home, 'AGENTS.md')],
      ['repo', 'AGENTS.md'],
      ['repo', path.join('packages', 'AGENTS.override.md')],
      ['repo', path.join('packages', 'web', 'AGENTS.md')],
    ]);
    const order = ['GLOBAL', 'ROOT', 'PACKAGES OVERRIDE', 'WEB'].map((marker) => loaded.text.indexOf(marker));
    expect(order.every((at, index) => at > 0 && (index === 0 || at > (order[index - 1] ?? 0)))).toBe(true);
    expect(loaded.text).not.toContain('PACKAGES: plain');
  });

  it('caps all files together at 32 KiB and says which was cut', async () => {
    fs.writeFileSync(path.join(home, 'AGENTS.md'), 'g'.repeat(20 * 1024));
    fs.writeFileSync(path.join(worktree, 'AGENTS.md'), 'r'.repeat(20 * 1024));
    const loaded = await loadInstructions({ home, worktreePath: worktree });
    const [global, repo] = loaded.sources;
    expect(global?.isTruncated).toBe(false);
    expect(repo?.isTruncated).toBe(true);
    expect((global?.text.length ?? 0) + (repo?.text.length ?? 0)).toBe(AGENTS_MD_MAX_BYTES);
    expect(loaded.text).toContain('[AGENTS.md cut: all instructions together are capped at 32 KiB]');
  });

  it('does not follow an AGENTS.md symlink (the agent could point it at a secret)', async () => {
    const secret = path.join(dir, 'outside-secret');
    fs.writeFileSync(secret, 'PRIVATE KEY');
    fs.symlinkSync(secret, path.join(worktree, 'AGENTS.md'));
    const loaded = await loadInstructions({ home, worktreePath: worktree });
    expect(loaded.sources).toEqual([]);
    expect(loaded.text).not.toContain('PRIVATE KEY');
  });

  it('skips an AGENTS.md that is a FIFO or a folder instead of waiting on it', async () => {
    execFileSync('mkfifo', [path.join(worktree, 'AGENTS.md')]);
    fs.mkdirSync(path.join(worktree, 'AGENTS.override.md'));
    // A blocking open of the FIFO would never return: the test would time out.
    expect((await loadInstructions({ home, worktreePath: worktree })).sources).toEqual([]);
  });
});
