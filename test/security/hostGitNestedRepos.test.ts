import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { branchDiff } from '../../electron/core/git/branchDiff.js';
import { checkpointCommit } from '../../electron/core/git/checkpoint.js';
import { mergeTaskBranch } from '../../electron/core/git/merge.js';
import { fixtureEnv, git, makeRepo, removeTempDirs, tempDir, writeFiles } from '../../electron/core/git/testRepos.js';
import { listWorktrees } from '../../electron/core/git/worktreeList.js';
import { pruneWorktrees, restoreTaskWorktree, uncommittedPaths } from '../../electron/core/git/worktreeRecovery.js';
import { createTaskWorktree, gitPathsOfWorktree, removeTaskWorktree } from '../../electron/core/git/worktrees.js';
import { removeWorktreeFolder, worktreeUsage } from '../../electron/core/tasks/worktreeDisk.js';

/**
 * SECURITY.md promise 13: a repository the agent plants inside its worktree (a folder it ran
 * `git init` in, a `.git` file pointing at a git dir it made, a submodule it populated) runs
 * nothing when the host runs git there. The agent writes all of it from inside the sandbox;
 * here plain git and fs stand in for its commands. Each mechanism is planted alone (so one
 * cannot hide another), in each kind of nested repository, and every host git operation on a
 * worktree runs over it: status (Settings → Disk, `worktrees list`), checkpoints (twice: the
 * second after the planted repo changed), diff, merge, reconcile (prune, recreate), removal.
 */

afterAll(removeTempDirs);

const HOOK_NAMES = ['pre-commit', 'commit-msg', 'post-commit', 'post-checkout', 'post-merge', 'pre-auto-gc', 'post-index-change', 'reference-transaction'];

interface Mechanism {
  name: string;
  /** Config lines for the nested repo's `.git/config` (key, value); scripts log `name`. */
  plant(repoGitDir: string, script: (tag: string, then?: string) => string): Array<[string, string]>;
  /** Attributes the nested repo's work tree gets (its `.gitattributes`). */
  attributes?: string;
  /** A plain git call inside the nested repo that does run the mechanism (the control). */
  trigger?: string[];
}

const MECHANISMS: Mechanism[] = [
  {
    name: 'filter-clean',
    plant: (_, script) => [['filter.evil.clean', script('filter-clean', 'exec cat')]],
    attributes: '* filter=evil\n',
    trigger: ['add', '--all'],
  },
  {
    name: 'filter-process',
    plant: (_, script) => [['filter.evil.process', script('filter-process', 'exit 1')]],
    attributes: '* filter=evil\n',
    trigger: ['add', '--all'],
  },
  {
    name: 'fsmonitor',
    plant: (_, script) => [['core.fsmonitor', script('fsmonitor')]],
    trigger: ['status', '--porcelain'],
  },
  {
    name: 'hooks',
    plant: (gitDir, script) => {
      for (const hook of HOOK_NAMES) {
        fs.copyFileSync(script('hooks'), path.join(gitDir, 'hooks', hook));
        fs.chmodSync(path.join(gitDir, 'hooks', hook), 0o755);
      }
      return [];
    },
    trigger: ['commit', '--allow-empty', '--quiet', '-m', 'hooked'],
  },
  {
    name: 'hooks-path',
    plant: (gitDir, script) => {
      const dir = path.join(gitDir, 'my-hooks');
      fs.mkdirSync(dir);
      for (const hook of HOOK_NAMES) fs.copyFileSync(script('hooks-path'), path.join(dir, hook));
      return [['core.hooksPath', dir]];
    },
    trigger: ['commit', '--allow-empty', '--quiet', '-m', 'hooked'],
  },
  {
    name: 'diff-external',
    plant: (_, script) => [['diff.external', script('diff-external')]],
    trigger: ['diff'],
  },
  {
    name: 'textconv',
    plant: (_, script) => [['diff.evil.textconv', script('textconv', 'cat "$1"')]],
    attributes: '* diff=evil\n',
    trigger: ['diff', '--no-ext-diff'],
  },
  {
    name: 'diff-command',
    plant: (_, script) => [['diff.evil.command', script('diff-command')]],
    attributes: '* diff=evil\n',
    trigger: ['diff'],
  },
  {
    name: 'merge-driver',
    plant: (_, script) => [['merge.evil.driver', script('merge-driver')]],
    attributes: '* merge=evil\n',
  },
  {
    name: 'pager',
    plant: (_, script) => [
      ['core.pager', script('pager', 'cat')],
      ['pager.status', script('pager', 'cat')],
      ['pager.diff', script('pager', 'cat')],
    ],
  },
  {
    name: 'include',
    plant: (gitDir, script) => {
      const included = path.join(gitDir, 'more.conf');
      fs.writeFileSync(included, `[core]\n\tfsmonitor = ${script('include')}\n[filter "inc"]\n\tclean = ${script('include', 'exec cat')}\n`);
      return [['include.path', included]];
    },
    attributes: '* filter=inc\n',
    trigger: ['add', '--all'],
  },
  {
    name: 'include-if',
    plant: (gitDir, script) => {
      const included = path.join(gitDir, 'cond.conf');
      fs.writeFileSync(included, `[core]\n\tfsmonitor = ${script('include-if')}\n[filter "cond"]\n\tclean = ${script('include-if', 'exec cat')}\n`);
      return [['includeIf.gitdir:/.path', included]];
    },
    attributes: '* filter=cond\n',
    trigger: ['add', '--all'],
  },
  {
    name: 'ssh-and-credentials',
    plant: (_, script) => [
      ['core.sshCommand', script('ssh-and-credentials')],
      ['core.askPass', script('ssh-and-credentials')],
      ['credential.helper', `!${script('ssh-and-credentials')}`],
      ['remote.origin.url', 'ssh://git@example.invalid/x.git'],
    ],
    trigger: ['fetch', '--quiet', 'origin'],
  },
  {
    name: 'editor-and-signing',
    plant: (_, script) => [
      ['core.editor', script('editor-and-signing')],
      ['sequence.editor', script('editor-and-signing')],
      ['gpg.program', script('editor-and-signing')],
      ['commit.gpgSign', 'true'],
    ],
    trigger: ['commit', '--allow-empty', '--quiet'],
  },
];

type Shape = 'embedded' | 'gitfile' | 'submodule';

/** A repo, a task worktree of it under a FLOTILLA_HOME layout, and the markers log. */
interface Scene {
  repo: string;
  home: string;
  worktree: string;
  branch: string;
  markers: string;
  /** The nested repo's work tree (inside the worktree) and its git dir. */
  nested: string;
  nestedGitDir: string;
}

function ran(scene: Scene): string[] {
  const log = path.join(scene.markers, 'ran.log');
  return fs.existsSync(log) ? [...new Set(fs.readFileSync(log, 'utf8').trim().split('\n'))].sort() : [];
}

function scriptMaker(markers: string) {
  let n = 0;
  return (tag: string, then = 'exit 0'): string => {
    n += 1;
    const file = path.join(markers, `${tag}-${n}.sh`);
    fs.writeFileSync(file, `#!/bin/sh\necho ${tag} >> '${path.join(markers, 'ran.log')}'\n${then}\n`);
    fs.chmodSync(file, 0o755);
    return file;
  };
}

/** Plain git inside the nested repo, as the agent would run it (its own config applies). */
function nestedGit(scene: Scene, ...args: string[]): string {
  return execFileSync('git', [`--git-dir=${scene.nestedGitDir}`, `--work-tree=${scene.nested}`, ...args], {
    cwd: scene.nested,
    env: fixtureEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function makeScene(shape: Shape): Promise<Scene> {
  const markers = tempDir('markers');
  const files: Record<string, string> = { 'README.md': 'hello\n' };
  const repo = makeRepo(files);
  if (shape === 'submodule') {
    // The user's repo has a submodule at `mod` (a gitlink plus .gitmodules); worktrees get an empty folder there.
    const upstream = makeRepo({ 'm.txt': 'module\n' });
    const commit = git(upstream, 'rev-parse', 'HEAD').trim();
    writeFiles(repo, { '.gitmodules': `[submodule "mod"]\n\tpath = mod\n\turl = ${upstream}\n\tignore = none\n` });
    git(repo, 'update-index', '--add', '--cacheinfo', `160000,${commit},mod`);
    git(repo, 'add', '.gitmodules');
    git(repo, 'commit', '--quiet', '-m', 'add submodule');
  }
  const home = tempDir('flotilla home');
  const worktree = path.join(home, 'worktrees', 'repo1', 'task');
  const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'nested', baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);

  // The agent's nested repository, with one committed file it will change later.
  const nested = path.join(worktree, shape === 'submodule' ? 'mod' : 'vendor/tool');
  let nestedGitDir = path.join(nested, '.git');
  fs.mkdirSync(nested, { recursive: true });
  if (shape === 'embedded') {
    git(nested, 'init', '--quiet', '--initial-branch=main');
  } else {
    // A `.git` file pointing at a git dir the agent made in its own HOME (writable, outside the worktree).
    nestedGitDir = path.join(home, 'task-homes', 'task', 'not-a-repo');
    fs.mkdirSync(path.dirname(nestedGitDir), { recursive: true });
    git(worktree, 'init', '--quiet', '--initial-branch=main', `--separate-git-dir=${nestedGitDir}`, nested);
  }
  writeFiles(nested, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
  const scene: Scene = { repo, home, worktree, branch: created.branch, markers, nested, nestedGitDir };
  nestedGit(scene, 'add', '--all');
  nestedGit(scene, 'commit', '--quiet', '--no-verify', '-m', 'nested');
  return scene;
}

/** Plants `mechanism` in the scene's nested repo and makes its files look changed. */
function plant(scene: Scene, mechanism: Mechanism): void {
  const script = scriptMaker(scene.markers);
  for (const [key, value] of mechanism.plant(scene.nestedGitDir, script)) nestedGit(scene, 'config', key, value);
  if (mechanism.attributes) writeFiles(scene.nested, { '.gitattributes': mechanism.attributes });
  // Changed content and stat data: git must look at the files again (and run filters on them).
  writeFiles(scene.nested, { 'a.txt': 'a, changed by the agent\n', 'c.txt': 'new\n' });
  writeFiles(scene.worktree, { 'agent.txt': `${mechanism.name}\n` });
}

/** Every host git operation that touches a task worktree, in the order a task lives them. */
async function runHostOperations(scene: Scene, mechanism: Mechanism): Promise<void> {
  const tasks = { list: () => [] };
  const repos = { list: () => [] };
  // Turn 1: the agent's nested repo, still clean, is checkpointed.
  await worktreeUsage({ home: scene.home, tasks, repos });
  await checkpointCommit({ worktreePath: scene.worktree, message: 'turn 1' });
  // Turn 2: the agent plants the mechanism, then the host looks again.
  plant(scene, mechanism);
  await worktreeUsage({ home: scene.home, tasks, repos });
  await uncommittedPaths(scene.worktree);
  await gitPathsOfWorktree(scene.worktree);
  await checkpointCommit({ worktreePath: scene.worktree, message: 'turn 2' });
  await uncommittedPaths(scene.worktree);
  await branchDiff({ repoPath: scene.repo, branch: scene.branch, baseBranch: 'main' });
  await listWorktrees(scene.repo);
  await pruneWorktrees(scene.repo);
  const merged = await mergeTaskBranch({ repoPath: scene.repo, branch: scene.branch, baseBranch: 'main', strategy: 'merge', message: 'merge' });
  if (!merged.ok) throw new Error(merged.message);
  await uncommittedPaths(scene.repo);
  await removeTaskWorktree({ repoPath: scene.repo, worktreePath: scene.worktree, branch: scene.branch, deleteBranch: false });
  // Reconcile: a task whose folder vanished gets it back from the branch the agent wrote.
  await pruneWorktrees(scene.repo);
  const restored = await restoreTaskWorktree({ repoPath: scene.repo, worktreePath: scene.worktree, branch: scene.branch });
  if (!restored.ok) throw new Error(restored.reason);
  await worktreeUsage({ home: scene.home, tasks, repos });
  await checkpointCommit({ worktreePath: scene.worktree, message: 'after restore' });
  const removed = await removeWorktreeFolder({ home: scene.home, tasks, folder: scene.worktree, isUncommittedWorkConfirmed: false });
  expect(removed).toEqual({ ok: true });
  expect(fs.existsSync(scene.worktree)).toBe(false);
}

describe('a nested repository the agent planted runs nothing when the host runs git', () => {
  describe.each(['embedded', 'gitfile', 'submodule'] as const)('in a %s repository', (shape) => {
    it.each(MECHANISMS.map((m) => [m.name, m] as const))('%s', async (_, mechanism) => {
      const scene = await makeScene(shape);
      await runHostOperations(scene, mechanism);
      expect(ran(scene)).toEqual([]);
    });
  });

  it.each(MECHANISMS.filter((m) => m.trigger).map((m) => [m.name, m] as const))(
    'control: plain git inside the nested repository does run %s',
    async (_, mechanism) => {
      const scene = await makeScene('embedded');
      plant(scene, mechanism);
      try {
        nestedGit(scene, ...(mechanism.trigger ?? []));
      } catch {
        // Some planted programs make the call fail (a filter process that exits): it still ran.
      }
      expect(ran(scene)).toContain(mechanism.name);
    },
  );

  it('control: plain git status in a worktree with a populated submodule runs its filter', async () => {
    const scene = await makeScene('submodule');
    plant(scene, MECHANISMS.find((m) => m.name === 'filter-clean') as Mechanism);
    // Git re-hashes a tracked file (through the filter) only when its size is unchanged but other
    // stat data differs: a size change alone already says "modified". So b.txt gets new content of
    // the same size and a later mtime, which makes git read it however fast or slow the machine.
    writeFiles(scene.nested, { 'b.txt': 'B\n' });
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(scene.nested, 'b.txt'), later, later);
    git(scene.worktree, '-c', 'core.fsmonitor=false', 'status', '--porcelain');
    expect(ran(scene)).toEqual(['filter-clean']);
  });
});

describe('what the checkpoint commits of a nested repository', () => {
  it('commits an embedded repository as plain files, never its .git, never a gitlink', async () => {
    const scene = await makeScene('embedded');
    writeFiles(scene.nested, { 'deep/d.txt': 'd\n', 'ignored.log': 'log\n' });
    writeFiles(scene.worktree, { '.gitignore': '*.log\n' });
    const result = await checkpointCommit({ worktreePath: scene.worktree, message: 'turn 1' });
    expect(result?.plainFolders).toEqual(['vendor/tool']);
    const tree = git(scene.worktree, 'ls-tree', '-r', '--full-tree', 'HEAD').trim().split('\n');
    expect(tree.filter((line) => line.startsWith('160000'))).toEqual([]);
    const paths = tree.map((line) => line.split('\t')[1]);
    expect(paths).toEqual(expect.arrayContaining(['vendor/tool/a.txt', 'vendor/tool/b.txt', 'vendor/tool/deep/d.txt']));
    expect(paths.some((p) => p?.includes('.git/'))).toBe(false);
    expect(paths).not.toContain('vendor/tool/ignored.log');
    // The next turn's changes inside it are plain changes too.
    writeFiles(scene.nested, { 'b.txt': 'b2\n' });
    const next = await checkpointCommit({ worktreePath: scene.worktree, message: 'turn 2' });
    expect(next).toMatchObject({ filesChanged: 1, plainFolders: [] });
  });

  it('commits a fresh `git init` folder with no commit (which plain `git add -A` refuses)', async () => {
    const repo = makeRepo();
    const home = tempDir('flotilla home');
    const worktree = path.join(home, 'worktrees', 'r', 't');
    const created = await createTaskWorktree({ repoPath: repo, worktreePath: worktree, slug: 'fresh', baseBranch: 'main' });
    if (!created.ok) throw new Error(created.message);
    const app = path.join(worktree, 'my app');
    fs.mkdirSync(app);
    git(app, 'init', '--quiet');
    writeFiles(app, { 'main.rs': 'fn main() {}\n', 'inner/.git/HEAD': 'not a repo\n' });
    const result = await checkpointCommit({ worktreePath: worktree, message: 'scaffold' });
    expect(result).toMatchObject({ filesChanged: 1, plainFolders: ['my app'] });
    expect(git(worktree, 'show', 'HEAD:my app/main.rs')).toBe('fn main() {}\n');
  });

  it('leaves a submodule of the base branch at the commit the base gave it', async () => {
    const scene = await makeScene('submodule');
    const before = git(scene.worktree, 'ls-tree', 'HEAD', 'mod');
    writeFiles(scene.worktree, { 'top.txt': 'top\n' });
    const result = await checkpointCommit({ worktreePath: scene.worktree, message: 'turn' });
    expect(result?.filesChanged).toBe(1);
    expect(git(scene.worktree, 'ls-tree', 'HEAD', 'mod')).toBe(before);
  });

  it('a planted .git that leads to a FIFO makes git stop, not hang: the folder shows as not inspected and is never removed', async () => {
    const scene = await makeScene('embedded');
    const trap = path.join(scene.worktree, 'trap');
    fs.mkdirSync(path.join(trap, 'objects'), { recursive: true });
    fs.mkdirSync(path.join(trap, 'refs'));
    execFileSync('mkfifo', [path.join(trap, 'HEAD')]);
    writeFiles(scene.worktree, { 'stuck/.git': 'gitdir: ../trap\n', 'stuck/x.txt': 'x\n' });
    const tasks = { list: () => [] };
    const usage = await worktreeUsage({ home: scene.home, tasks, repos: { list: () => [] }, statusTimeoutMs: 1_000 });
    expect(usage).toHaveLength(1);
    expect(usage[0]?.uncommitted.error).toMatch(/did not finish within 1 s/);
    const removal = await removeWorktreeFolder({ home: scene.home, tasks, folder: scene.worktree, isUncommittedWorkConfirmed: true, statusTimeoutMs: 1_000 });
    expect(removal).toMatchObject({ ok: false, kind: 'invalid_state', message: expect.stringMatching(/could not be inspected/) });
    expect(fs.existsSync(path.join(scene.worktree, 'stuck', 'x.txt'))).toBe(true);
  });
});
