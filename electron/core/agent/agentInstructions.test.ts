import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTS_MD_MAX_BYTES, buildInstructions, readAgentsMd } from './agentInstructions.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-instructions-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('buildInstructions', () => {
  it('describes the sandboxed worktree, and adds AGENTS.md when present', async () => {
    const without = await buildInstructions(dir);
    expect(without).toContain('worktree');
    expect(without).toContain('without network');
    fs.writeFileSync(path.join(dir, 'AGENTS.md'), 'Use tabs. Run `make check`.\n');
    const withFile = await buildInstructions(dir);
    expect(withFile.startsWith(without)).toBe(true);
    expect(withFile).toContain('Use tabs. Run `make check`.');
  });

  it('caps AGENTS.md at 32 KiB', async () => {
    fs.writeFileSync(path.join(dir, 'AGENTS.md'), 'a'.repeat(AGENTS_MD_MAX_BYTES + 5_000));
    const text = await readAgentsMd(dir);
    expect(text?.startsWith('a'.repeat(AGENTS_MD_MAX_BYTES))).toBe(true);
    expect(text).toContain('[AGENTS.md truncated at 32 KiB]');
    expect(text?.length).toBeLessThan(AGENTS_MD_MAX_BYTES + 100);
  });

  it('does not follow an AGENTS.md symlink (the agent could point it at a secret)', async () => {
    const secret = path.join(dir, 'outside-secret');
    fs.writeFileSync(secret, 'PRIVATE KEY');
    const worktree = path.join(dir, 'worktree');
    fs.mkdirSync(worktree);
    fs.symlinkSync(secret, path.join(worktree, 'AGENTS.md'));
    expect(await readAgentsMd(worktree)).toBeNull();
    expect(await buildInstructions(worktree)).not.toContain('PRIVATE KEY');
  });

  it('ignores an AGENTS.md that is a directory', async () => {
    fs.mkdirSync(path.join(dir, 'AGENTS.md'));
    expect(await readAgentsMd(dir)).toBeNull();
  });
});
