import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE_MOUNT_ARGS, bwrapArgs, isolationArgs } from '../../electron/core/sandbox/bwrapArgs.js';
import { defaultBwrapPath } from '../../electron/core/sandbox/probeSandbox.js';
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

/**
 * The floor of any bwrap sandbox here: the namespaces every command gets and the base mounts,
 * running `/bin/true`, with no seccomp filter, no other mount, no launcher around it.
 */
export function bareBwrapLaunch(): { file: string; args: string[] } {
  return { file: defaultBwrapPath(), args: [...isolationArgs(false), ...BASE_MOUNT_ARGS, '--', '/bin/true'] };
}

/**
 * The task's own bwrap, spawned directly: every mount and namespace runSandboxed gives `true`
 * under `spec` (hiding `hiddenPaths`), without the launcher shell, the seccomp filter or the
 * cgroup. Against bareBwrapLaunch it prices the task's mounts; against runSandboxed, the rest.
 */
export function taskBwrapLaunch(spec: SandboxSpec, hiddenPaths: string[]): { file: string; args: string[] } {
  return { file: defaultBwrapPath(), args: bwrapArgs(spec, 'true', { hiddenPaths }) };
}
