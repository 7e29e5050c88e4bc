import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';
import { startFlotilla, type CliResult, type FlotillaServer } from './fixtures/flotillaProcess.js';

/**
 * The repos a user can point Flotilla at that are not a plain, clean checkout, driven through
 * a real `flotilla serve` and the `flotilla` CLI. Each either works and leaves the user's repo
 * as it was, or fails with one clear line (exit code 1) and changes nothing: no repo added, no
 * task, no branch, no worktree, not a byte of the folder. (test/cliFlow.test.ts covers `repo add`
 * of a plain folder and of a repo without commits, and a repo deleted before a task starts;
 * test/fleet.test.ts a checkout with unstaged and untracked changes. Here: staged changes too,
 * and the index, HEAD and branches checked as well as the files.)
 */

interface TaskJson {
  id: string;
  status: string;
  statusReason: string | null;
  branch: string;
  baseBranch: string;
  baseCommit: string;
  worktreePath: string;
}

/** Plain git with a fixed identity; no GIT_* from the caller, no user or system config. */
function git(cwd: string, ...args: string[]): string {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@flotilla.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Every file, folder and link under `dir` (.git included) with a hash of its bytes: "nothing changed" means equal. */
function folderState(dir: string): Map<string, string> {
  const state = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const sub = path.join(rel, entry.name);
      const full = path.join(dir, sub);
      if (entry.isDirectory()) {
        state.set(sub, 'dir');
        walk(sub);
      } else if (entry.isSymbolicLink()) {
        state.set(sub, `link ${fs.readlinkSync(full)}`);
      } else {
        state.set(sub, crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
      }
    }
  };
  walk('');
  return state;
}

/** What a task may not change in the user's repo: its branches (task ones aside), HEAD, index, checkout. */
function userRepoState(repo: string): { refs: string; head: string; index: string; files: Map<string, string> } {
  const files = folderState(repo);
  for (const key of [...files.keys()]) if (key === '.git' || key.startsWith(`.git${path.sep}`)) files.delete(key);
  return {
    refs: git(repo, 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/')
      .split('\n')
      .filter((line) => !line.includes(' refs/heads/flotilla/'))
      .join('\n'),
    head: fs.readFileSync(path.join(repo, '.git', 'HEAD'), 'utf8'),
    index: crypto.createHash('sha256').update(fs.readFileSync(path.join(repo, '.git', 'index'))).digest('hex'),
    files,
  };
}

function expectOneLineFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^flotilla: /);
  expect(lines[0]).toMatch(pattern);
}

let model: ModelServer;
let flotilla: FlotillaServer;
let scratch: string;
const repos: TempRepo[] = [];

async function newRepo(opts?: Parameters<typeof makeTempRepo>[0]): Promise<TempRepo> {
  const repo = await makeTempRepo(opts);
  repos.push(repo);
  return repo;
}

/** A folder under the test's scratch space whose name has spaces, quotes and unicode. */
function scratchDir(name: string): string {
  const dir = path.join(fs.mkdtempSync(path.join(scratch, 'd-')), name);
  fs.mkdirSync(dir, { recursive: true });
  return fs.realpathSync(dir);
}

async function boardCounts(): Promise<{ repos: number; tasks: number }> {
  const listedRepos = await flotilla.cliJson<unknown[]>(['repo', 'list']);
  const listedTasks = await flotilla.cliJson<unknown[]>(['task', 'list']);
  return { repos: listedRepos.length, tasks: listedTasks.length };
}

async function waitForTask(id: string, done: (task: TaskJson) => boolean, timeoutMs = 30_000): Promise<TaskJson> {
  const deadline = Date.now() + timeoutMs;
  let task = await flotilla.cliJson<TaskJson>(['task', 'show', id]);
  while (!done(task)) {
    if (Date.now() > deadline) throw new Error(`task ${id} is still ${task.status} (${task.statusReason ?? ''})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    task = await flotilla.cliJson<TaskJson>(['task', 'show', id]);
  }
  return task;
}

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'note',
        match: 'Write a note',
        steps: [{ type: 'shell', command: "printf 'from the agent\\n' > agent-note.txt" }, { type: 'message', text: 'Wrote agent-note.txt.' }],
      },
      {
        name: 'waits',
        match: 'Wait for the go flag',
        steps: [
          { type: 'shell', command: 'touch started.flag; while [ ! -e go.flag ]; do sleep 0.1; done; printf "work\\n" > work.txt' },
          { type: 'message', text: 'Done waiting.' },
        ],
      },
      { name: 'default', steps: [{ type: 'message', text: 'nothing to do' }] },
    ],
  });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bad-repos-'));
  // FLOTILLA_HOME (and so every task worktree) with a space, quotes and unicode in its path too.
  const home = path.join(scratch, `home "h" 'é' ✓`);
  fs.mkdirSync(home);
  flotilla = await startFlotilla({ home, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  for (const repo of repos) await repo.cleanup();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('folders that are not a repo Flotilla can use: one line, exit code 1, nothing changed', () => {
  it('a plain folder, a bare repo and a repo with no commits, given to `task new --repo`', async () => {
    const plain = scratchDir('plain folder ü');
    fs.writeFileSync(path.join(plain, 'notes.txt'), 'mine\n');
    const bare = scratchDir('bare répo.git');
    git(bare, 'init', '--quiet', '--bare', '--initial-branch=main');
    const seed = await newRepo();
    git(seed.path, 'push', '--quiet', bare, 'main');
    const empty = scratchDir('empty répo');
    git(empty, 'init', '--quiet', '--initial-branch=main');
    const cases: Array<[string, RegExp]> = [
      [plain, /not inside a git repository.*git init/],
      [bare, /is a bare repository.*git clone/],
      [empty, /has no commits yet.*first commit/],
    ];
    const before = await boardCounts();
    for (const [folder, pattern] of cases) {
      const state = folderState(folder);
      const result = await flotilla.cli(['task', 'new', '--repo', folder, '--prompt', 'Write a note']);
      expectOneLineFailure(result, pattern);
      expect(result.stderr).toContain(folder);
      expect(folderState(folder)).toEqual(state);
    }
    expect(await boardCounts()).toEqual(before);
  });

  it('a bare repo given to `repo add`', async () => {
    const bare = scratchDir(`bare "q".git`);
    git(bare, 'init', '--quiet', '--bare');
    const state = folderState(bare);
    const before = await boardCounts();
    expectOneLineFailure(await flotilla.cli(['repo', 'add', bare]), /bare repository/);
    expect(folderState(bare)).toEqual(state);
    expect(await boardCounts()).toEqual(before);
  });

  it('a linked worktree, named for what it is, with the repo to add instead', async () => {
    const repo = await newRepo();
    const linked = path.join(scratchDir('linked'), `side 'wt' ü`);
    git(repo.path, 'worktree', 'add', '--quiet', '-b', 'side', linked);
    const repoState = folderState(repo.path);
    const linkedState = folderState(linked);
    const before = await boardCounts();
    for (const args of [['repo', 'add', linked], ['task', 'new', '--repo', linked, '--prompt', 'Write a note']]) {
      const result = await flotilla.cli(args);
      expectOneLineFailure(result, /is a linked worktree/);
      expect(result.stderr).toContain(`Add its repository instead: ${fs.realpathSync(repo.path)}`);
    }
    expect(folderState(repo.path)).toEqual(repoState);
    expect(folderState(linked)).toEqual(linkedState);
    expect(await boardCounts()).toEqual(before);
  });
});

describe('repos that work, and are left as they were', () => {
  it('a path with spaces, quotes, $( ) and unicode: a task runs, and merges into it', async () => {
    const repo = await newRepo({ parentName: `it's "quoted" $(touch pwned) ü`, name: `répo \`x\` ✓` });
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Write a note', '--wait']);
    expect(task.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'agent-note.txt'), 'utf8')).toBe('from the agent\n');
    const merged = await flotilla.cliJson<{ ok: boolean }>(['task', 'merge', task.id]);
    expect(merged.ok).toBe(true);
    expect(fs.readFileSync(path.join(repo.path, 'agent-note.txt'), 'utf8')).toBe('from the agent\n');
    expect(git(repo.path, 'status', '--porcelain')).toBe('');
    // Nothing read the name as shell: no file appeared next to the repo or in it.
    expect(fs.readdirSync(path.dirname(repo.path))).toEqual([path.basename(repo.path)]);
    expect(fs.existsSync(path.join(repo.path, 'pwned'))).toBe(false);
  });

  it('a dirty checkout: left byte for byte; the task starts from the last commit and says so', async () => {
    const repo = await newRepo({ files: { 'a.txt': 'committed\n', 'b.txt': 'b\n' } });
    const head = git(repo.path, 'rev-parse', 'HEAD');
    fs.writeFileSync(path.join(repo.path, 'a.txt'), 'edited, not committed\n');
    fs.writeFileSync(path.join(repo.path, 'staged.txt'), 'staged\n');
    git(repo.path, 'add', 'staged.txt');
    fs.writeFileSync(path.join(repo.path, 'untracked.txt'), 'untracked\n');
    const before = userRepoState(repo.path);

    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Write a note', '--wait']);

    expect(task.status).toBe('review');
    expect(task.baseCommit).toBe(head);
    expect(fs.readFileSync(path.join(task.worktreePath, 'a.txt'), 'utf8')).toBe('committed\n');
    expect(fs.existsSync(path.join(task.worktreePath, 'staged.txt'))).toBe(false);
    expect(fs.existsSync(path.join(task.worktreePath, 'untracked.txt'))).toBe(false);
    const log = await flotilla.cli(['task', 'log', task.id]);
    expect(log.stdout).toContain(
      `Your checkout has uncommitted changes (3 files); this task starts from the last commit of main (${head.slice(0, 10)}) without them.`,
    );
    expect(userRepoState(repo.path)).toEqual(before);
  });

  it('a base branch checked out in another worktree: the task starts from it, that checkout is untouched until the merge', async () => {
    const repo = await newRepo();
    const other = path.join(scratchDir('other'), `dev checkout ü`);
    git(repo.path, 'worktree', 'add', '--quiet', '-b', 'dev', other);
    fs.writeFileSync(path.join(other, 'dev.txt'), 'dev\n');
    git(other, 'add', 'dev.txt');
    git(other, 'commit', '--quiet', '-m', 'dev work');
    const devTip = git(other, 'rev-parse', 'HEAD');
    const repoBefore = userRepoState(repo.path);
    const otherBefore = folderState(other);

    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--base', 'dev', '--prompt', 'Write a note', '--wait']);

    expect(task).toMatchObject({ status: 'review', baseBranch: 'dev', baseCommit: devTip });
    expect(fs.readFileSync(path.join(task.worktreePath, 'dev.txt'), 'utf8')).toBe('dev\n');
    expect(folderState(other)).toEqual(otherBefore);
    expect(userRepoState(repo.path)).toEqual(repoBefore);
    // The merge moves dev, and so updates the checkout that has it, cleanly.
    const merged = await flotilla.cliJson<{ ok: boolean; commit: string }>(['task', 'merge', task.id]);
    expect(merged.ok).toBe(true);
    expect(git(other, 'rev-parse', 'HEAD')).toBe(merged.commit);
    expect(fs.readFileSync(path.join(other, 'agent-note.txt'), 'utf8')).toBe('from the agent\n');
    expect(git(other, 'status', '--porcelain')).toBe('');
    expect(userRepoState(repo.path).files).toEqual(repoBefore.files);
  });
});

describe('a repo deleted while its task runs', () => {
  it('fails the task saying so, keeps the work in the worktree, and the host carries on', async () => {
    const repo = await newRepo();
    const repoPath = fs.realpathSync(repo.path);
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Wait for the go flag']);
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(path.join(task.worktreePath, 'started.flag'))) {
      if (Date.now() > deadline) throw new Error('the agent never started its command');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await repo.cleanup();
    fs.writeFileSync(path.join(task.worktreePath, 'go.flag'), '');

    const ended = await waitForTask(task.id, (t) => t.status !== 'running' && t.status !== 'queued');

    expect(ended.status).toBe('failed');
    expect(ended.statusReason).toContain(repoPath);
    expect(ended.statusReason).toMatch(/deleted or moved/);
    expect(fs.readFileSync(path.join(task.worktreePath, 'work.txt'), 'utf8')).toBe('work\n');
    // Commands about its repo say what is wrong, in one line.
    expectOneLineFailure(await flotilla.cli(['task', 'diff', task.id]), /does not exist/);
    expectOneLineFailure(await flotilla.cli(['task', 'resume', task.id]), /deleted or moved/);
    // Discarding it removes its worktree folder, the only thing left of it.
    const discarded = await flotilla.cli(['task', 'discard', task.id]);
    expect(discarded.code).toBe(0);
    expect(fs.existsSync(task.worktreePath)).toBe(false);
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status).toBe('discarded');
    // Another repo's task still runs.
    const other = await newRepo();
    const next = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', other.path, '--prompt', 'Write a note', '--wait']);
    expect(next.status).toBe('review');
  });
});
