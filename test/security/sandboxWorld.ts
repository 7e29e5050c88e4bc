import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runSandboxed, type CommandResult, type RunSandboxedOptions } from '../../electron/core/sandbox/runSandboxed.js';
import type { SandboxSpec } from '../../electron/core/sandbox/sandboxSpec.js';

const execFileAsync = promisify(execFile);

/**
 * A little host for sandbox tests, all under one temp root:
 *
 *   <root>/user home/              stands in for the real user's home ($HOME points here)
 *   <root>/Mes projets é✓/demo repo/   the user's checkout (the git common dir lives here)
 *   <root>/flotilla home/           FLOTILLA_HOME: flotilla.db, worktrees/repo1/{task-a,task-b}, task-homes/a
 *
 * The sandbox makes the host's /tmp private, which would hide all of this and let every
 * test pass for the wrong reason. So the spec re-binds <root> read-only: inside the sandbox
 * the root then looks like any visible host folder (a home, a repo), and each refusal below
 * must come from the rule under test.
 */
export interface SandboxWorld {
  root: string;
  userHome: string;
  repo: string;
  commonDir: string;
  flotillaHome: string;
  /** This task's worktree (task-a) and another task's (task-b). */
  worktree: string;
  sibling: string;
  taskHome: string;
  spec: SandboxSpec;
  hiddenPaths: string[];
  /** runSandboxed with this world's spec and hidden paths. */
  run(command: string, opts?: RunSandboxedOptions): Promise<CommandResult>;
  /** Host-side git, hardened the way the host runs it, with a test identity. */
  git(cwd: string, ...args: string[]): Promise<string>;
  dispose(): void;
}

export async function makeSandboxWorld(): Promise<SandboxWorld> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-sandbox-')));
  const userHome = path.join(root, 'user home');
  const repo = path.join(root, 'Mes projets é✓', 'demo repo');
  const flotillaHome = path.join(root, 'flotilla home');
  const worktree = path.join(flotillaHome, 'worktrees', 'repo1', 'task-a');
  const sibling = path.join(flotillaHome, 'worktrees', 'repo1', 'task-b');
  const taskHome = path.join(flotillaHome, 'task-homes', 'a');
  for (const dir of [userHome, repo, taskHome]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(flotillaHome, 'flotilla.db'), 'SQLite format 3\0 prompts and transcripts\n');

  const emptyHooks = path.join(root, 'no-hooks');
  fs.mkdirSync(emptyHooks);
  const git = async (cwd: string, ...args: string[]) => {
    const hardening = ['-c', 'core.fsmonitor=false', '-c', `core.hooksPath=${emptyHooks}`, '-c', 'core.pager=cat', '-c', 'commit.gpgsign=false'];
    const identity = ['-c', 'user.name=Flotilla Test', '-c', 'user.email=test@flotilla.invalid'];
    const { stdout } = await execFileAsync('git', [...hardening, ...identity, ...args], { cwd, env: gitEnv() });
    return stdout;
  };
  fs.writeFileSync(path.join(repo, 'README.md'), '# demo\n');
  await git(repo, 'init', '--quiet', '--initial-branch=main');
  await git(repo, 'add', '--all');
  await git(repo, 'commit', '--quiet', '--no-verify', '-m', 'Initial commit');
  await git(repo, 'worktree', 'add', '--quiet', '--no-track', '-b', 'flotilla/task-a', worktree, 'main');
  await git(repo, 'worktree', 'add', '--quiet', '--no-track', '-b', 'flotilla/task-b', sibling, 'main');
  fs.writeFileSync(path.join(sibling, 'other-task.txt'), 'work of another task\n');
  const commonDir = path.resolve(worktree, (await git(worktree, 'rev-parse', '--git-common-dir')).trim());
  const gitDir = path.resolve(worktree, (await git(worktree, 'rev-parse', '--git-dir')).trim());

  const spec: SandboxSpec = {
    mode: 'workspace-write',
    worktreePath: worktree,
    // <root> first: see the note above. Then what the host passes in real life.
    readOnlyPaths: [root, path.join(worktree, '.git'), gitDir, commonDir],
    extraWritablePaths: [],
    homeDir: taskHome,
    allowNetwork: false,
  };
  const hiddenPaths = [flotillaHome];
  return {
    root,
    userHome,
    repo,
    commonDir,
    flotillaHome,
    worktree,
    sibling,
    taskHome,
    spec,
    hiddenPaths,
    run: (command, opts) => runSandboxed(spec, command, { hiddenPaths, timeoutMs: 30_000, ...opts }),
    git,
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Sets host environment variables for one test file; returns the undo. */
export function overrideEnv(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Host pids whose command line contains `token` (seen from the host, outside every sandbox). */
export function hostPidsMatching(token: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      // Only the daemon itself, not the bwrap or shell whose argv merely mentions it.
      if (cmdline.startsWith('sleep ') && cmdline.includes(token)) pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

/** Polls until `check` holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** The environment minus variables that would point git at another repo. */
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('GIT_')) delete env[name];
  return env;
}
