import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SandboxSpec } from '../../electron/core/sandbox/sandboxSpec.js';

/** A task's sandbox as the benchmarks use it: a fresh worktree and home under `root`, workspace-write, no network. */
export function makeBenchSandbox(prefix: string): { root: string; spec: SandboxSpec; remove(): void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const spec: SandboxSpec = {
    mode: 'workspace-write',
    worktreePath: path.join(root, 'worktree'),
    readOnlyPaths: [],
    extraWritablePaths: [],
    homeDir: path.join(root, 'home'),
    allowNetwork: false,
  };
  fs.mkdirSync(spec.worktreePath);
  fs.mkdirSync(spec.homeDir);
  return { root, spec, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
