import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Repo, Task } from '../../shared/model/task.js';
import type { Host } from '../core/hostTypes.js';
import { PACKAGE_ROOT } from '../core/util/paths.js';
import { main } from './cli.js';
import type { CliIo } from './cliIo.js';
import { serverFilePath } from '../transport/serverFile.js';
import { serveRealHost, type ServedHost } from '../../test/fixtures/realHost.js';
import { makeTempRepo, type TempRepo } from '../../test/fixtures/tempRepo.js';

const NO_HOST = 'flotilla: no Flotilla host running (start one with `flotilla serve`)';
/** What `serve` prints when its stdout is not a terminal: the address, never the token. */
const LISTENING = /^Flotilla listening on http:\/\/127\.0\.0\.1:(\d+)\/ \(open the sign-in URL, with its token, from (.+server\.json)\)$/;

const homes: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  homes.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of homes) fs.rmSync(dir, { recursive: true, force: true });
});

function capture(home: string, extra: Partial<CliIo> = {}, cwd = os.tmpdir()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: { ...process.env, FLOTILLA_HOME: home }, ...extra };
  return { io, out, err };
}

/** git's output in the repo, trimmed. */
function gitOut(repoPath: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repoPath, ...args], { encoding: 'utf8' }).trim();
}

async function run(home: string, argv: string[], cwd?: string) {
  const { io, out, err } = capture(home, {}, cwd);
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err };
}

describe('flotilla (in-process)', () => {
  it('answers bad command lines with one line and exit 2', async () => {
    const home = tempDir('flotilla-cli-usage-');
    const cases: [string[], RegExp][] = [
      [['bogus'], /unknown command 'bogus'/],
      [['task'], /'task' needs a subcommand/],
      [['task', 'frobnicate'], /unknown command 'task frobnicate'/],
      [['task', 'new', '--prompt', 'x'], /task new needs --repo/],
      [['task', 'new', '--repo', '.'], /task new needs --prompt/],
      [['task', 'show'], /task show takes ID/],
      [['task', 'show', 'a', 'b'], /task show takes ID/],
      [['task', 'list', '--bogus'], /unknown option '--bogus'/],
      [['task', 'merge', 't1', '--strategy', 'octopus'], /--strategy must be merge, squash or rebase/],
      [['repo', 'add'], /repo add takes PATH/],
      [['serve', '--port', 'abc'], /--port must be a number/],
      [['serve', '--port', '70000'], /--port must be a number/],
      [['serve', '--port'], /argument missing/],
      [['serve', 'now'], /serve takes no arguments/],
      [['repo', 'config', 'r1', '--script-network', 'yes'], /--script-network must be on or off/],
      [['repo', 'config', 'r1', '--unix-socket'], /argument missing/],
    ];
    for (const [argv, pattern] of cases) {
      const { code, out, err } = await run(home, argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(out, argv.join(' ')).toBe('');
      expect(err, argv.join(' ')).toHaveLength(1);
      expect(err[0], argv.join(' ')).toMatch(/^flotilla: /);
      expect(err[0], argv.join(' ')).toMatch(pattern);
    }
    // Usage errors are found before looking for a host, and serve never started one.
    expect(fs.readdirSync(home)).toEqual([]);
  });

  it('prints help', async () => {
    const { code, out } = await run(tempDir('flotilla-cli-help-'), ['help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: flotilla <command>');
    expect(out).toContain('task merge ID [--strategy merge|squash|rebase]');
  });

  it('says when no host is running: no server.json, or a dead pid in it', async () => {
    const home = tempDir('flotilla-cli-nohost-');
    expect(await run(home, ['task', 'list'])).toEqual({ code: 1, out: '', err: [NO_HOST] });
    const child = spawnSync(process.execPath, ['-e', '0']);
    fs.writeFileSync(serverFilePath(home), JSON.stringify({ url: 'http://127.0.0.1:9/?token=x', port: 9, token: 'x', pid: child.pid }));
    expect(await run(home, ['repo', 'list', '--json'])).toEqual({ code: 1, out: '', err: [NO_HOST] });
  });

  describe('against a running host', () => {
    let served: ServedHost;
    /** Repos the tests add through the CLI: removed after the host, which keeps them until it stops. */
    const checkouts: TempRepo[] = [];

    beforeAll(async () => {
      served = await serveRealHost({
        scenarios: [
          {
            name: 'hello',
            match: 'Add hello',
            steps: [{ type: 'shell', command: "printf 'hello\\n' > hello.txt" }, { type: 'message', text: 'Added hello.txt.' }],
          },
          { name: 'quick', match: 'Say hi', steps: [{ type: 'message', text: 'Hi.' }] },
          { name: 'refused', match: 'Refused', steps: [{ type: 'fault', status: 400, body: JSON.stringify({ error: { message: 'the model refused the connection' } }) }] },
          // The model thinks for a minute: the task stays running until it is stopped.
          { name: 'slow', match: 'Think long', steps: [{ type: 'hang', ms: 60_000 }, { type: 'message', text: 'done thinking' }] },
        ],
      });
    });

    afterAll(async () => {
      await served.stop();
      for (const checkout of checkouts) await checkout.cleanup();
    });

    /** A new repo and a task of it in review; `Add hello` adds hello.txt, `Say hi` changes nothing. */
    async function repoWithReviewTask(prompt: 'Add hello' | 'Say hi'): Promise<{ repo: Repo; task: Task }> {
      const repo = await served.addRepo();
      const task = await served.createTask({ repo: repo.id, prompt });
      return { repo, task: await served.waitForStatus(task.id, 'review') };
    }

    it('serve prints the address once, not the token, and keeps the sign-in URL in server.json 0600', () => {
      expect(served.serveOut).toHaveLength(1);
      const match = LISTENING.exec(served.serveOut[0] ?? '');
      expect(match).not.toBeNull();
      const file = serverFilePath(served.home);
      expect(match?.[2]).toBe(file);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; port: number; token: string; pid: number };
      expect(info).toEqual({ url: `http://127.0.0.1:${match?.[1]}/?token=${info.token}`, port: Number(match?.[1]), token: info.token, pid: process.pid });
      expect(info.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(served.serveOut[0]).not.toContain(info.token);
    });

    it('repo add resolves a relative path against the cwd; repo list shows it; a folder without git is refused', async () => {
      const checkout = await makeTempRepo({ name: 'my repo ü' });
      checkouts.push(checkout);
      const added = await served.run(['repo', 'add', path.basename(checkout.path)], { cwd: path.dirname(checkout.path) });
      expect(added.err).toEqual([]);
      expect(added.code).toBe(0);
      expect(added.out).toContain(`at ${checkout.path}`);
      const listed = await served.run(['repo', 'list', '--json']);
      expect(JSON.parse(listed.out)).toContainEqual(expect.objectContaining({ path: checkout.path, name: 'my repo ü' }));
      const plain = tempDir('flotilla-cli-plain-');
      const notRepo = await served.run(['repo', 'add', plain]);
      expect(notRepo.code).toBe(1);
      expect(notRepo.out).toBe('');
      expect(notRepo.err).toHaveLength(1);
      expect(notRepo.err[0]).toMatch(new RegExp(`^flotilla: ${plain} is not inside a git repository`));
    });

    it('repo add expands a leading ~ that no shell expanded (quoted, or after --opt=)', async () => {
      const checkout = await makeTempRepo({ name: 'tilde repo' });
      checkouts.push(checkout);
      const added = await served.run(['repo', 'add', `~/${path.basename(checkout.path)}`], { env: { ...served.env, HOME: path.dirname(checkout.path) } });
      expect(added.err).toEqual([]);
      expect(added.code).toBe(0);
      expect(added.out).toContain(`at ${checkout.path}`);
    });

    it('repo config sets script network, home paths and host sockets; a list replaces the old one, \'\' clears it', async () => {
      const { id } = await served.addRepo();
      const shown = await served.run(['repo', 'config', id]);
      expect(shown.out).toMatch(/^ {2}script network {2}off \(setup and cleanup scripts run without network\)$/m);
      expect(shown.out).toMatch(/^ {2}home paths {6}\(none: nothing of your home is shown\)$/m);
      expect(shown.out).toMatch(/^ {2}host sockets {4}\(none\)$/m);

      const set = await served.run(['repo', 'config', id, '--script-network', 'on', '--home-path', '~/.gitconfig, ~/.cargo/registry', '--unix-socket', '/var/run/docker.sock', '--json']);
      expect(set.code).toBe(0);
      const userHome = process.env.HOME ?? os.homedir();
      expect(JSON.parse(set.out)).toMatchObject({
        scriptNetwork: true,
        homeReadOnlyPaths: [path.join(userHome, '.gitconfig'), path.join(userHome, '.cargo', 'registry')],
        unixSockets: ['/var/run/docker.sock'],
      });
      const human = (await served.run(['repo', 'config', id])).out;
      expect(human).toContain(`  script network  on (setup and cleanup scripts may use the network)`);
      expect(human).toContain(`  home paths      ${path.join(userHome, '.gitconfig')}, ${path.join(userHome, '.cargo', 'registry')}`);
      expect(human).toContain('  host sockets    /var/run/docker.sock');

      const replaced = await served.run(['repo', 'config', id, '--home-path', '~/.npm/_cacache', '--unix-socket', '', '--script-network', 'off', '--json']);
      expect(JSON.parse(replaced.out)).toMatchObject({ scriptNetwork: false, homeReadOnlyPaths: [path.join(userHome, '.npm', '_cacache')], unixSockets: [] });
      const cleared = await served.run(['repo', 'config', id, '--home-path', '', '--json']);
      expect(JSON.parse(cleared.out)).toMatchObject({ homeReadOnlyPaths: [] });
    });

    it('repo config refuses relative, secret and outside-the-home paths, naming each, and keeps the old values', async () => {
      const { id } = await served.addRepo();
      await served.run(['repo', 'config', id, '--unix-socket', '/run/ok.sock']);
      const refused = await served.run(['repo', 'config', id, '--home-path', '.gitconfig,~/.ssh,/etc', '--unix-socket', 'docker.sock']);
      expect(refused.code).toBe(1);
      expect(refused.out).toBe('');
      expect(refused.err).toHaveLength(1);
      expect(refused.err[0]).toMatch(/^flotilla: Nothing was saved\. Host sockets refused: "docker\.sock" is relative/);
      expect(refused.err[0]).toContain('Home paths refused: ".gitconfig" is relative (write it from / or from ~/); "~/.ssh" is inside ~/.ssh');
      expect(refused.err[0]).toContain('"/etc" is outside your home');
      const after = JSON.parse((await served.run(['repo', 'config', id, '--json'])).out) as { unixSockets: string[] };
      expect(after.unixSockets).toEqual(['/run/ok.sock']);
    });

    it('task new prints the task at once; with --wait it returns once the task leaves queued/running', async () => {
      const repo = await served.addRepo();
      const done = await served.run(['task', 'new', '--repo', `./${path.basename(repo.path)}`, '--prompt', 'Say hi', '--title', 'Greet'], { cwd: path.dirname(repo.path) });
      expect(done.code).toBe(0);
      expect(done.out).toMatch(/^Created [0-9a-f]+ {2}(queued|running) {2}flotilla\/greet {2}Greet$/);

      const [waited, failed] = await Promise.all([
        served.run(['task', 'new', '--repo', repo.path, '--prompt', 'Say hi', '--wait', '--json']),
        served.run(['task', 'new', '--repo', repo.path, '--prompt', 'Refused', '--wait']),
      ]);
      expect(waited.code).toBe(0);
      const task = JSON.parse(waited.out) as Record<string, unknown>;
      expect(task).toMatchObject({ status: 'review', repo: repo.path, title: 'Say hi' });
      expect(Object.keys(task).slice(0, 4)).toEqual(['id', 'title', 'repo', 'status']);

      expect(failed.code).toBe(1);
      expect(failed.out).toMatch(/Task [0-9a-f]+ is failed: model API error 400 at http:\/\/127\.0\.0\.1:\d+\/v1: the model refused the connection$/);
    });

    it('task list prints aligned columns, one row per task', async () => {
      const [{ task: review }, failed] = await Promise.all([
        repoWithReviewTask('Say hi'),
        served.addRepo().then((repo) => served.createTask({ repo: repo.id, prompt: 'Refused' })),
      ]);
      await served.waitForStatus(failed.id, 'failed');
      const { code, out } = await served.run(['task', 'list']);
      expect(code).toBe(0);
      const lines = out.split('\n');
      expect(lines[0]).toMatch(/^ID +STATUS +REPO +BRANCH +TITLE$/);
      const statusColumn = lines[0]?.indexOf('STATUS') ?? -1;
      const branchColumn = lines[0]?.indexOf('BRANCH') ?? -1;
      for (const line of lines.slice(1)) {
        expect(line.slice(statusColumn).split(' ')[0], line).toMatch(/^(queued|running|review|failed|needs_input|stopped|merged|discarded)$/);
        expect(line[statusColumn - 1], line).toBe(' ');
        expect(line.indexOf('flotilla/'), line).toBe(branchColumn);
      }
      expect(lines).toHaveLength((await served.host.handlers['tasks.list']({})).tasks.length + 1);
      expect(lines.find((line) => line.startsWith(`${review.id} `))).toMatch(/ review +/);
      expect(lines.find((line) => line.startsWith(`${failed.id} `))).toMatch(/ failed +/);
    });

    it('task show, diff and merge a task in review: the user\'s checkout gets the change', async () => {
      const { repo, task } = await repoWithReviewTask('Add hello');
      const shown = await served.run(['task', 'show', task.id]);
      expect(shown.out).toMatch(new RegExp(`^Task {6}${task.id}$`, 'm'));
      expect(shown.out).toMatch(/^Status {4}review$/m);
      expect(await served.run(['task', 'show', 'nope'])).toMatchObject({ code: 1, err: ['flotilla: no task with id "nope"'] });

      const diff = await served.run(['task', 'diff', task.id]);
      expect(diff.code).toBe(0);
      // ce01362: git's blob id of "hello\n".
      expect(diff.out).toBe(`diff --git a/hello.txt b/hello.txt\nnew file mode 100644\nindex 0000000..ce01362\n--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1 @@\n+hello\n`);

      const merged = await served.run(['task', 'merge', task.id, '--strategy', 'squash', '--json']);
      expect(merged.code).toBe(0);
      expect(JSON.parse(merged.out)).toMatchObject({ ok: true, commit: gitOut(repo.path, 'rev-parse', 'main') });
      expect(fs.readFileSync(path.join(repo.path, 'hello.txt'), 'utf8')).toBe('hello\n');
      expect((await served.run(['task', 'show', task.id, '--json'])).out).toMatch(/"status": "merged"/);
    });

    it('task merge refuses a running task; stop and discard it', async () => {
      const repo = await served.addRepo();
      const running = await served.createTask({ repo: repo.id, prompt: 'Think long' });
      await served.waitForStatus(running.id, 'running');

      const refused = await served.run(['task', 'merge', running.id, '--json']);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.out)).toEqual({ ok: false, kind: 'invalid_state', message: `task ${running.id} is running and cannot be merged; stop it or wait until it is in Review` });
      expect(refused.err).toHaveLength(1);

      const stopped = await served.run(['task', 'stop', running.id]);
      expect(stopped.code).toBe(0);
      expect(stopped.out).toMatch(new RegExp(`^Stopped ${running.id} {2}stopped`));
      const discarded = await served.run(['task', 'discard', running.id, '--json']);
      expect(JSON.parse(discarded.out)).toMatchObject({ id: running.id, status: 'discarded' });
      expect(fs.existsSync(running.worktreePath)).toBe(false);
    });

    it('a second serve on the same home is refused while this one lives, before starting a host', async () => {
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
      const otherHome = tempDir('flotilla-cli-busy-');
      fs.writeFileSync(serverFilePath(otherHome), JSON.stringify({ url: 'http://127.0.0.1:9/?token=x', port: 9, token: 'x', pid: other.pid }));
      try {
        const mustNotStart = async (): Promise<Host> => {
          throw new Error('a refused serve started a host');
        };
        const { io, err } = capture(otherHome, { createHost: mustNotStart, stopSignal: new Promise(() => {}) });
        expect(await main(['serve'], io)).toBe(1);
        expect(err).toEqual([`flotilla: another Flotilla host is already running on this data folder (pid ${other.pid} at http://127.0.0.1:9/)`]);
      } finally {
        other.kill();
      }
    });

    it('on stop: removes server.json and disposes the host (its database is closed)', async () => {
      const { host, home } = served;
      expect(await served.stop()).toBe(0);
      expect(fs.existsSync(serverFilePath(home))).toBe(false);
      await expect(host.handlers['tasks.list']({})).rejects.toThrow(/database connection is not open/);
      expect((await run(home, ['task', 'list'])).err).toEqual([NO_HOST]);
    });
  });
});

/** The built CLI as users run it. Needs `npx tsc -b` (done by `npm test`) first. */
describe('node bin/flotilla.js', () => {
  const bin = path.join(PACKAGE_ROOT, 'bin', 'flotilla.js');
  const children: ChildProcess[] = [];

  beforeAll(() => {
    if (!fs.existsSync(path.join(PACKAGE_ROOT, 'out', 'electron', 'server', 'cli.js'))) {
      throw new Error('out/electron/server/cli.js is missing: run `npx tsc -b` first');
    }
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function cli(home: string, args: string[]) {
    const result = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, FLOTILLA_HOME: home }, encoding: 'utf8', timeout: 30_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('exits 2 with one line on a bad command line, 1 when no host runs, 0 for help', () => {
    const home = tempDir('flotilla-bin-');
    const missingPrompt = cli(home, ['task', 'new', '--repo', 'x']);
    expect(missingPrompt.code).toBe(2);
    expect(missingPrompt.stdout).toBe('');
    expect(missingPrompt.stderr).toMatch(/^flotilla: task new needs --prompt \(usage: flotilla task new --repo PATH\|ID --prompt TEXT .*\)\n$/);
    expect(cli(home, ['nonsense'])).toEqual({ code: 2, stdout: '', stderr: "flotilla: unknown command 'nonsense'\n" });
    expect(cli(home, ['task', 'list'])).toEqual({ code: 1, stdout: '', stderr: `${NO_HOST}\n` });
    expect(cli(home, ['task', 'merge', 't1', '--json'])).toEqual({ code: 1, stdout: '', stderr: `${NO_HOST}\n` });
    const help = cli(home, ['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('flotilla <command>');
  });

  it('serve --port 0 runs the real host: URL, server.json, client calls, clean SIGTERM', async () => {
    const home = tempDir('flotilla-bin-serve-');
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { env: { ...process.env, FLOTILLA_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += String(d)));
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        stdout += String(d);
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    expect(line).toMatch(LISTENING);
    const info = JSON.parse(fs.readFileSync(serverFilePath(home), 'utf8')) as { url: string; pid: number; token: string };
    expect(info.pid).toBe(child.pid);
    // stdout is a pipe here: the token stays out of it.
    expect(stdout).not.toContain(info.token);
    expect(info.url).toContain(`?token=${info.token}`);
    expect(fs.statSync(serverFilePath(home)).mode & 0o777).toBe(0o600);

    expect(cli(home, ['repo', 'list', '--json'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    const second = cli(home, ['serve', '--port', '0']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^flotilla: another Flotilla host is already running on this data folder \(pid \d+ at http:\/\/127\.0\.0\.1:\d+\/\)\n$/);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(serverFilePath(home))).toBe(false);
    expect(cli(home, ['task', 'list']).stderr).toBe(`${NO_HOST}\n`);
  });
});
