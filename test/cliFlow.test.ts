import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo } from './fixtures/tempRepo.js';
import { runCli, startFlotilla, makeTempHome, type FlotillaServer } from './fixtures/flotillaProcess.js';

/**
 * One task all the way through the CLI, as a user scripts it: add a repo, run a task with a
 * scripted model, read its diff, merge it; then the bad inputs that must fail cleanly.
 */

interface TaskJson {
  id: string;
  title: string;
  status: string;
  branch: string;
  baseBranch: string;
  worktreePath: string;
  statusReason: string | null;
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: { path: string; cleanup: () => Promise<void> | void };

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'greeting',
        match: 'greeting',
        steps: [
          { type: 'shell', command: "printf 'hello from the agent\\n' > greeting.txt" },
          { type: 'shell', command: 'cat greeting.txt && cat no-such-file.txt' },
          { type: 'message', text: 'I added greeting.txt.' },
        ],
      },
      {
        name: 'slow',
        match: 'slow',
        steps: [{ type: 'shell', command: 'sleep 30' }, { type: 'message', text: 'slept' }],
      },
      { name: 'default', steps: [{ type: 'message', text: 'nothing to do' }] },
    ],
  });
  repo = await makeTempRepo({ files: { 'README.md': '# demo\n' } });
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test-secret-value' } });
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

describe('flotilla CLI, one task end to end', () => {
  let task: TaskJson;

  it('adds a repo whose path has spaces and unicode', async () => {
    const added = await flotilla.cliJson<{ id: string; path: string; name: string }>(['repo', 'add', repo.path]);
    expect(added.path).toBe(fs.realpathSync(repo.path));
    const listed = await flotilla.cli(['repo', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(added.name);
  });

  it('runs a task to Review with --wait, on its own branch and worktree', async () => {
    task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Add a greeting file', '--wait']);
    expect(task.status).toBe('review');
    expect(task.branch).toMatch(/^flotilla\/add-a-greeting-file/);
    expect(task.baseBranch).toBe('main');
    expect(task.worktreePath.startsWith(flotilla.home)).toBe(true);
    expect(fs.readFileSync(path.join(task.worktreePath, 'greeting.txt'), 'utf8')).toBe('hello from the agent\n');
    // The user's checkout is untouched until the merge.
    expect(fs.existsSync(path.join(repo.path, 'greeting.txt'))).toBe(false);
    expect(git(repo.path, 'status', '--porcelain')).toBe('');
  });

  it('fed the failed command back to the model with its exit code', () => {
    const bodies = model.requests.map((r) => JSON.stringify(r.body));
    const last = bodies[bodies.length - 1] ?? '';
    expect(last).toContain('hello from the agent');
    expect(last).toContain('no-such-file.txt');
    expect(last).toMatch(/exit code 1/);
    // The API key reached the model server, never a command's output.
    expect(bodies.join('\n')).not.toContain('sk-test-secret-value');
  });

  it('shows the task and its journal', async () => {
    const shown = await flotilla.cli(['task', 'show', task.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('review');
    const listed = await flotilla.cli(['task', 'list']);
    expect(listed.stdout).toContain(task.id);
  });

  it('prints the branch diff against the merge base', async () => {
    const diff = await flotilla.cli(['task', 'diff', task.id]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('diff --git a/greeting.txt b/greeting.txt');
    expect(diff.stdout).toContain('+hello from the agent');
  });

  it('squash-merges into main, removes the worktree and deletes the branch', async () => {
    const merged = await flotilla.cliJson<{ ok: boolean; commit: string }>(['task', 'merge', task.id, '--strategy', 'squash']);
    expect(merged.ok).toBe(true);
    expect(git(repo.path, 'rev-parse', 'main')).toBe(merged.commit);
    // One parent: a squash, not a merge commit. The user's checkout (on main) has the file.
    expect(git(repo.path, 'rev-list', '--parents', '-n', '1', merged.commit).split(' ')).toHaveLength(2);
    expect(fs.readFileSync(path.join(repo.path, 'greeting.txt'), 'utf8')).toBe('hello from the agent\n');
    expect(git(repo.path, 'status', '--porcelain')).toBe('');
    expect(fs.existsSync(task.worktreePath)).toBe(false);
    expect(git(repo.path, 'branch', '--list', task.branch)).toBe('');
    const after = await flotilla.cliJson<TaskJson>(['task', 'show', task.id]);
    expect(after.status).toBe('merged');
  });
});

describe('flotilla CLI, bad input fails cleanly', () => {
  it('refuses a folder that is not a git repo', async () => {
    const plain = fs.mkdtempSync(path.join(makeTempHome(), 'plain '));
    const result = await flotilla.cli(['repo', 'add', plain]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^flotilla: .*not (a|inside a) git repo/im);
  });

  it('refuses a base branch that does not exist, creating nothing', async () => {
    const before = (await flotilla.cliJson<TaskJson[]>(['task', 'list'])).length;
    const result = await flotilla.cli(['task', 'new', '--repo', repo.path, '--prompt', 'x', '--base', 'no-such-branch']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no-such-branch');
    expect((await flotilla.cliJson<TaskJson[]>(['task', 'list'])).length).toBe(before);
  });

  it('refuses to merge a running task, then stops it and keeps its worktree', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'a slow job']);
    await waitFor(async () => (await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status === 'running');
    const merge = await flotilla.cliJson<{ ok: boolean; kind: string; message: string }>(['task', 'merge', task.id]);
    expect(merge).toMatchObject({ ok: false, kind: 'invalid_state' });
    const stop = await flotilla.cli(['task', 'stop', task.id]);
    expect(stop.code).toBe(0);
    const stopped = await flotilla.cliJson<TaskJson>(['task', 'show', task.id]);
    expect(stopped.status).toBe('stopped');
    expect(fs.existsSync(stopped.worktreePath)).toBe(true);
    const discard = await flotilla.cli(['task', 'discard', task.id]);
    expect(discard.code).toBe(0);
    expect(fs.existsSync(stopped.worktreePath)).toBe(false);
  });

  it('answers usage errors with a one-line reason and exit code 2', async () => {
    const result = await flotilla.cli(['task', 'new', '--repo', repo.path]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says plainly when no host is running', async () => {
    const result = await runCli(['task', 'list'], { env: { ...process.env, FLOTILLA_HOME: makeTempHome() } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no Flotilla host running/);
  });
});

describe('flotilla repo config: the repo’s sandbox settings, on the real host', () => {
  it('sets script network, home paths and host sockets, shows them, and refuses bad paths naming each', async () => {
    const added = await flotilla.cliJson<{ id: string }>(['repo', 'add', repo.path]);
    const userHome = process.env.HOME ?? '';
    const set = await flotilla.cli(['repo', 'config', added.id, '--script-network', 'on', '--home-path', '~/.gitconfig', '--unix-socket', '/var/run/docker.sock']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('script network  on');
    expect(set.stdout).toContain(`home paths      ${path.join(userHome, '.gitconfig')}`);
    expect(set.stdout).toContain('host sockets    /var/run/docker.sock');

    const refused = await flotilla.cli(['repo', 'config', added.id, '--home-path', 'relative/path,~/.aws/credentials']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('"relative/path" is relative');
    expect(refused.stderr).toContain('"~/.aws/credentials" is inside ~/.aws, which holds credentials');

    const cleared = await flotilla.cliJson<{ scriptNetwork: boolean; homeReadOnlyPaths: string[]; unixSockets: string[] }>(
      ['repo', 'config', added.id, '--script-network', 'off', '--home-path', '', '--unix-socket', ''],
    );
    expect(cleared).toMatchObject({ scriptNetwork: false, homeReadOnlyPaths: [], unixSockets: [] });
  });
});

describe('repos that cannot take a task', () => {
  it('refuses a repo with no commits', async () => {
    const empty = fs.mkdtempSync(path.join(makeTempHome(), 'empty repo '));
    execFileSync('git', ['init', '-q', empty]);
    const result = await flotilla.cli(['repo', 'add', empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no commits/i);
  });

  it('says the repo is gone when it was removed from disk, and the board keeps working', async () => {
    const doomed = await makeTempRepo();
    const added = await flotilla.cliJson<{ id: string }>(['repo', 'add', doomed.path]);
    await doomed.cleanup();
    const result = await flotilla.cli(['task', 'new', '--repo', added.id, '--prompt', 'anything']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not exist|missing|not found/i);
    expect((await flotilla.cli(['task', 'list'])).code).toBe(0);
  });
});

describe('no sandbox, no command', () => {
  it('fails the task with the fix, and the command never runs unsandboxed', async () => {
    const host = await startFlotilla({
      env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', FLOTILLA_BWRAP: '/nonexistent/bwrap' },
    });
    const other = await makeTempRepo();
    try {
      const task = await host.cliJson<TaskJson>(['task', 'new', '--repo', other.path, '--prompt', 'Add a greeting file', '--wait']);
      // It needs the user (install bubblewrap, then resume): Needs you, with the fix.
      expect(task.status).toBe('needs_input');
      expect(task.statusReason).toMatch(/sandbox unavailable: install bubblewrap/);
      expect(fs.existsSync(path.join(task.worktreePath, 'greeting.txt'))).toBe(false);
    } finally {
      await host.stop();
      await other.cleanup();
    }
  });
});

describe('a model endpoint that refuses connections', () => {
  it('fails the task with the reason, and nothing else', async () => {
    const port = await closedPort();
    const offline = await startFlotilla({ env: { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_API_KEY: 'sk-test' } });
    const other = await makeTempRepo();
    try {
      const task = await offline.cliJson<TaskJson>(['task', 'new', '--repo', other.path, '--prompt', 'anything', '--wait']);
      expect(task.status).toBe('failed');
      expect(task.statusReason).toContain(`127.0.0.1:${port}`);
      expect(task.statusReason).toMatch(/refused/);
      expect(git(other.path, 'status', '--porcelain')).toBe('');
    } finally {
      await offline.stop();
      await other.cleanup();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

/** A loopback port nothing listens on: bind one, then let it go. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
