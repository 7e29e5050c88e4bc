import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxed, SandboxUnavailableError } from '../../electron/core/sandbox/runSandboxed.js';
import { makeSandboxWorld, type SandboxWorld } from './sandboxWorld.js';

/** A sandbox that cannot start means the command does not run: never a silent unsandboxed fallback. */
let world: SandboxWorld;

beforeAll(async () => {
  world = await makeSandboxWorld();
});

afterAll(() => world.dispose());

describe('without bubblewrap', () => {
  it('throws SandboxUnavailableError with the fix, and the command never runs', async () => {
    const marker = path.join(world.worktree, 'ran-unsandboxed');
    const missing = path.join(world.root, 'no-such-dir', 'bwrap');
    const attempt = runSandboxed(world.spec, `touch '${marker}'`, { bwrapPath: missing, hiddenPaths: world.hiddenPaths });
    await expect(attempt).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(attempt).rejects.toThrow('sandbox unavailable: install bubblewrap (apt install bubblewrap)');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('refuses the same way when bwrap exists but cannot create namespaces', async () => {
    // A stand-in that fails like bwrap does where user namespaces are forbidden.
    const fakeBwrap = path.join(world.root, 'bwrap');
    fs.writeFileSync(fakeBwrap, '#!/bin/sh\necho "bwrap: No permissions to creating new namespace" >&2\nexit 1\n', { mode: 0o755 });
    const marker = path.join(world.worktree, 'ran-anyway');
    const attempt = runSandboxed(world.spec, `touch '${marker}'`, { bwrapPath: fakeBwrap });
    await expect(attempt).rejects.toThrow(/^sandbox unavailable: bubblewrap could not create namespaces: bwrap: No permissions to creating new namespace; /);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
