import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlotilla, makeTempHome, type FlotillaServer } from './fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';

/** Several tasks at once: follow-ups, the backlog, the running limit, and a host killed mid-run. */

interface TaskJson {
  id: string;
  status: string;
  statusReason: string | null;
  worktreePath: string;
  branch: string;
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();

let model: ModelServer;
const repos: TempRepo[] = [];
const servers: FlotillaServer[] = [];

// Unique durations so process checks never see another test file's sleeps.
const CRASH_SLEEP = 'sleep 41.731';

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'two turns',
        match: 'notes file',
        steps: [
          { type: 'shell', command: "echo 'first' > notes.txt" },
          { type: 'message', text: 'wrote the first line' },
          { type: 'shell', command: "echo 'second' >> notes.txt" },
          { type: 'message', text: 'added the second line' },
        ],
      },
      {
        name: 'parallel',
        match: /^own file (\w+)/,
        steps: [
          // Each task records which worktree it ran in, slowly enough that several run at once.
          { type: 'shell', command: 'sleep 0.5; basename "$PWD" > own-file.txt' },
          { type: 'message', text: 'done' },
        ],
      },
      {
        name: 'crash',
        match: 'survive a crash',
        steps: [
          { type: 'shell', command: `if [ -f .started ]; then echo resumed-after-crash; else touch .started; ${CRASH_SLEEP}; fi` },
          { type: 'message', text: 'finished after the crash' },
        ],
      },
      { name: 'default', steps: [{ type: 'shell', command: 'sleep 2' }, { type: 'message', text: 'ok' }] },
    ],
  });
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const repo of repos) await repo.cleanup();
  await model?.close();
});

async function host(home?: string): Promise<FlotillaServer> {
  const server = await startFlotilla({ home, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  servers.push(server);
  return server;
}

async function repo(): Promise<TempRepo> {
  const made = await makeTempRepo({ files: { 'README.md': '# r\n' } });
  repos.push(made);
  return made;
}

describe('follow-ups and the backlog', () => {
  it('runs a second turn in the same worktree and conversation', async () => {
    const flotilla = await host();
    const r = await repo();
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', r.path, '--prompt', 'Start a notes file', '--wait']);
    expect(task.status).toBe('review');
    const again = await flotilla.cliJson<TaskJson>(['task', 'send', task.id, '--message', 'Add another line', '--wait']);
    expect(again.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'notes.txt'), 'utf8')).toBe('first\nsecond\n');
    // The second turn's request carried the first turn's conversation.
    const last = JSON.stringify(model.requests.at(-1)?.body);
    expect(last).toContain('wrote the first line');
    expect(last).toContain('Add another line');
    // Each turn is its own checkpoint commit on the task branch.
    expect(git(r.path, 'rev-list', '--count', `main..${task.branch}`)).toBe('2');
  });

  it('keeps a backlog task waiting until it is started', async () => {
    const flotilla = await host();
    const r = await repo();
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', r.path, '--prompt', 'Start a notes file', '--backlog']);
    expect(task.status).toBe('backlog');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status).toBe('backlog');
    const started = await flotilla.cliJson<TaskJson>(['task', 'start', task.id, '--wait']);
    expect(started.status).toBe('review');
  });
});

describe('the running limit', () => {
  it('runs 8 agents on 3 repos at most 4 at a time; each worktree holds only its own change', async () => {
    const flotilla = await host();
    const set = await flotilla.cli(['config', 'set', 'maxRunning', '4']);
    expect(set.code).toBe(0);
    expect((await flotilla.cli(['config', 'get', 'maxRunning'])).stdout.trim()).toBe('4');
    const bad = await flotilla.cli(['config', 'set', 'maxRunning', 'lots']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/maxRunning/);

    const targets = [await repo(), await repo(), await repo()];
    const created: TaskJson[] = [];
    for (let i = 0; i < 8; i++) {
      const target = targets[i % 3] as TempRepo;
      created.push(await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', target.path, '--prompt', `own file t${i}`]));
    }
    let maxSeenRunning = 0;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const tasks = await flotilla.cliJson<TaskJson[]>(['task', 'list']);
      const mine = tasks.filter((t) => created.some((c) => c.id === t.id));
      maxSeenRunning = Math.max(maxSeenRunning, mine.filter((t) => t.status === 'running').length);
      if (mine.every((t) => t.status === 'review')) break;
      if (Date.now() > deadline) throw new Error(`not all in review: ${mine.map((t) => t.status).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(maxSeenRunning).toBeLessThanOrEqual(4);
    for (const task of created) {
      const files = fs.readdirSync(task.worktreePath).filter((f) => f.startsWith('own-'));
      expect(files).toEqual(['own-file.txt']);
      // The file names the worktree it was written in: no task wrote into another's.
      expect(fs.readFileSync(path.join(task.worktreePath, 'own-file.txt'), 'utf8').trim()).toBe(path.basename(task.worktreePath));
    }
  });
});

describe('a host killed with SIGKILL mid-run', () => {
  it('leaves no agent or sandbox behind, shows the task interrupted, and resumes it', async () => {
    const home = makeTempHome();
    const first = await host(home);
    const r = await repo();
    const task = await first.cliJson<TaskJson>(['task', 'new', '--repo', r.path, '--prompt', 'survive a crash']);
    await waitFor(() => sleepPids().length > 0);
    // What a reloaded board shows on the card: the command the agent is running.
    const token = new URL(first.url).searchParams.get('token') ?? '';
    const recent = (await (
      await fetch(`${first.origin}/api/invoke/tasks.recentActivity`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { events: { taskId: string; body: { kind: string; command?: string } }[] };
    expect(recent.events.find((e) => e.taskId === task.id)?.body).toMatchObject({ kind: 'command_started', command: expect.stringContaining(CRASH_SLEEP) });
    const workerPids = childPids(first.process.pid ?? 0);
    expect(workerPids.length).toBeGreaterThan(0);

    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    // The worker notices its host is gone and ends; bwrap --die-with-parent ends the command.
    await waitFor(() => sleepPids().length === 0 && workerPids.every((pid) => !isAlive(pid)), 10_000);

    const second = await host(home);
    const after = await second.cliJson<TaskJson>(['task', 'show', task.id]);
    expect(after.status).toBe('interrupted');
    expect(after.statusReason).toMatch(/stopped while this task was running/);
    expect(fs.existsSync(path.join(after.worktreePath, '.started'))).toBe(true);
    const log = await second.cli(['task', 'log', task.id]);
    expect(log.stdout).toMatch(new RegExp(`\\$ .*${CRASH_SLEEP.replace('.', '\\.')}.*\\[outcome unknown\\]`));

    const resumed = await second.cliJson<TaskJson>(['task', 'resume', task.id, '--wait']);
    expect(resumed.status).toBe('review');
    const transcript = JSON.stringify(model.requests.at(-1)?.body);
    expect(transcript).toContain('resumed-after-crash');
  });
});

describe('per-repo setup', () => {
  it('copies files and runs the setup script before the agent, and the cleanup script before removal', async () => {
    const flotilla = await host();
    const r = await repo();
    fs.writeFileSync(path.join(r.path, '.env'), 'SECRET_FOR_DEV=1\n');
    const added = await flotilla.cliJson<{ id: string }>(['repo', 'add', r.path]);
    const configured = await flotilla.cli([
      'repo', 'config', added.id,
      '--copy', '.env',
      '--setup', 'echo preparing; test -f .env && echo env-present > setup-ran.txt',
      // In the task's sandbox: it can see and change the worktree, and say so in the task's log.
      '--cleanup', 'test -f setup-ran.txt && echo cleanup-ran-in-worktree',
    ]);
    expect(configured.code).toBe(0);
    expect(configured.stdout).toContain('preparing');
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', r.path, '--prompt', 'Start a notes file', '--wait']);
    expect(task.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'setup-ran.txt'), 'utf8')).toBe('env-present\n');
    expect(fs.readFileSync(path.join(task.worktreePath, '.env'), 'utf8')).toBe('SECRET_FOR_DEV=1\n');
    const log = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(log.indexOf('setup script')).toBeGreaterThan(-1);
    expect(log.indexOf('setup script')).toBeLessThan(log.indexOf('notes.txt'));
    expect(log).toContain('preparing');
    // Setup output is not part of the change; the agent's work is.
    const diff = (await flotilla.cli(['task', 'diff', task.id])).stdout;
    expect(diff).toContain('notes.txt');
    // The copied .env is local config: never committed to the task branch.
    expect(diff).not.toContain('a/.env b/.env');
    expect(diff).not.toContain('SECRET_FOR_DEV');
    const discard = await flotilla.cli(['task', 'discard', task.id]);
    expect(discard.code).toBe(0);
    const afterDiscard = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(afterDiscard).toContain('cleanup script: test -f setup-ran.txt');
    expect(afterDiscard).toContain('cleanup-ran-in-worktree');
    expect(fs.existsSync(task.worktreePath)).toBe(false);
  });

  it('fails the task when the setup script fails, without starting the agent', async () => {
    const flotilla = await host();
    const r = await repo();
    const added = await flotilla.cliJson<{ id: string }>(['repo', 'add', r.path]);
    await flotilla.cli(['repo', 'config', added.id, '--setup', 'echo cannot install >&2; exit 3']);
    const requestsBefore = model.requests.length;
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', r.path, '--prompt', 'Start a notes file', '--wait']);
    expect(task.status).toBe('failed');
    expect(task.statusReason).toMatch(/setup script failed/);
    expect(model.requests.length).toBe(requestsBefore);
    expect((await flotilla.cli(['task', 'log', task.id])).stdout).toMatch(/cannot install[\s\S]*\[exit 3\]|\[exit 3\][\s\S]*cannot install/);
  });
});

describe('start-up reconciliation and the user’s checkout', () => {
  it('recreates a deleted worktree from its branch at start, keeping every checkpoint', async () => {
    const home = makeTempHome();
    const first = await host(home);
    const r = await repo();
    const task = await first.cliJson<TaskJson>(['task', 'new', '--repo', r.path, '--prompt', 'Start a notes file', '--wait']);
    await first.stop();
    fs.rmSync(task.worktreePath, { recursive: true, force: true });

    const second = await host(home);
    const after = await second.cliJson<TaskJson>(['task', 'show', task.id]);
    expect(after.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'notes.txt'), 'utf8')).toBe('first\n');
    expect((await second.cli(['task', 'log', task.id])).stdout).toContain('recreated from branch');
  });

  it('starts from the last commit when the checkout is dirty, and leaves the checkout byte for byte', async () => {
    const flotilla = await host();
    const r = await repo();
    fs.writeFileSync(path.join(r.path, 'README.md'), '# edited but not committed\n');
    fs.writeFileSync(path.join(r.path, 'scratch.txt'), 'untracked\n');
    const before = git(r.path, 'status', '--porcelain');
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', r.path, '--prompt', 'Start a notes file', '--wait']);
    expect(task.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'README.md'), 'utf8')).toBe('# r\n');
    expect(fs.existsSync(path.join(task.worktreePath, 'scratch.txt'))).toBe(false);
    expect((await flotilla.cli(['task', 'log', task.id])).stdout).toMatch(/uncommitted changes \(2 files\)/);
    expect(git(r.path, 'status', '--porcelain')).toBe(before);
    expect(fs.readFileSync(path.join(r.path, 'README.md'), 'utf8')).toBe('# edited but not committed\n');
  });
});

describe('disk used by worktrees', () => {
  it('lists worktrees with their size and owner, and removes only what no live task uses, uncommitted work only when forced', async () => {
    const flotilla = await host();
    const r = await repo();
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', r.path, '--prompt', 'Start a notes file', '--wait']);
    // A worktree left behind by a crash: registered with git, holding uncommitted work, owned by no task.
    const orphan = path.join(flotilla.home, 'worktrees', 'leftover', 'orphan');
    fs.mkdirSync(path.dirname(orphan), { recursive: true });
    execFileSync('git', ['-C', r.path, 'worktree', 'add', '-q', '-b', 'leftover', orphan]);
    fs.writeFileSync(path.join(orphan, 'unsaved.txt'), 'x'.repeat(200_000));

    const listed = await flotilla.cliJson<{ path: string; bytes: number; taskId: string | null }[]>(['worktrees', 'list']);
    expect(listed.find((w) => w.path === orphan)).toMatchObject({ taskId: null });
    expect(listed.find((w) => w.path === orphan)?.bytes).toBeGreaterThan(200_000);
    expect(listed.find((w) => w.taskId === task.id)?.path).toBe(task.worktreePath);

    const live = await flotilla.cli(['worktrees', 'remove', task.worktreePath]);
    expect(live.code).toBe(1);
    expect(live.stderr).toMatch(/still uses/);
    const unforced = await flotilla.cli(['worktrees', 'remove', orphan]);
    expect(unforced.code).toBe(1);
    expect(unforced.stderr).toMatch(/uncommitted changes/);
    expect(fs.existsSync(path.join(orphan, 'unsaved.txt'))).toBe(true);
    const forced = await flotilla.cli(['worktrees', 'remove', orphan, '--force']);
    expect(forced.code).toBe(0);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(git(r.path, 'worktree', 'list')).not.toContain('orphan');
    const outside = await flotilla.cli(['worktrees', 'remove', r.path]);
    expect(outside.code).toBe(1);
    expect(fs.existsSync(r.path)).toBe(true);
  });
});

function sleepPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', CRASH_SLEEP], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
