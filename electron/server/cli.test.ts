import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../core/util/paths.js';
import { main } from './cli.js';
import type { CliIo } from './cliIo.js';
import { serverFilePath } from './serverFile.js';
import { createFakeHost } from './testing/fakeHost.js';
import type { FakeHost } from './testing/fakeHost.js';

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
      [['task', 'merge', 't1', '--strategy', 'rebase'], /--strategy must be merge or squash/],
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
    expect(out).toContain('task merge ID [--strategy merge|squash]');
  });

  it('says when no host is running: no server.json, or a dead pid in it', async () => {
    const home = tempDir('flotilla-cli-nohost-');
    expect(await run(home, ['task', 'list'])).toEqual({ code: 1, out: '', err: [NO_HOST] });
    const child = spawnSync(process.execPath, ['-e', '0']);
    fs.writeFileSync(serverFilePath(home), JSON.stringify({ url: 'http://127.0.0.1:9/?token=x', port: 9, token: 'x', pid: child.pid }));
    expect(await run(home, ['repo', 'list', '--json'])).toEqual({ code: 1, out: '', err: [NO_HOST] });
  });

  describe('against a running host', () => {
    let home: string;
    let host: FakeHost;
    let stop: () => void;
    let served: Promise<number>;
    let serveOut: string[];
    let repoDir: string;

    beforeAll(async () => {
      home = tempDir('flotilla-cli-serve-');
      const work = tempDir('flotilla-cli-work-');
      repoDir = path.join(work, 'my repo ü');
      fs.mkdirSync(path.join(repoDir, '.git'), { recursive: true });
      host = createFakeHost({ home });
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const { io, out } = capture(home, { createHost: async () => host, stopSignal: stopped });
      serveOut = out;
      served = main(['serve', '--port', '0'], io);
      for (let i = 0; i < 200 && serveOut.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    });

    afterAll(async () => {
      stop();
      await served;
    });

    it('serve prints the address once, not the token, and keeps the sign-in URL in server.json 0600', () => {
      expect(serveOut).toHaveLength(1);
      const match = LISTENING.exec(serveOut[0] ?? '');
      expect(match).not.toBeNull();
      const file = serverFilePath(home);
      expect(match?.[2]).toBe(file);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; port: number; token: string; pid: number };
      expect(info).toEqual({ url: `http://127.0.0.1:${match?.[1]}/?token=${info.token}`, port: Number(match?.[1]), token: info.token, pid: process.pid });
      expect(info.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(serveOut[0]).not.toContain(info.token);
    });

    it('repo add resolves a relative path against the cwd; repo list shows it', async () => {
      const added = await run(home, ['repo', 'add', path.basename(repoDir)], path.dirname(repoDir));
      expect(added.code).toBe(0);
      expect(added.out).toContain(`at ${repoDir}`);
      const listed = await run(home, ['repo', 'list', '--json']);
      expect(JSON.parse(listed.out)).toMatchObject([{ path: repoDir, name: 'my repo ü' }]);
      const notRepo = await run(home, ['repo', 'add', os.tmpdir()]);
      expect(notRepo.code).toBe(1);
      expect(notRepo.err).toEqual([`flotilla: ${os.tmpdir()} is not a git repository`]);
    });

    it('repo config sets script network, home paths and host sockets; a list replaces the old one, \'\' clears it', async () => {
      const id = [...(await host.handlers['repos.list']({})).repos][0]?.id ?? '';
      const shown = await run(home, ['repo', 'config', id]);
      expect(shown.out).toMatch(/^ {2}script network {2}off \(setup and cleanup scripts run without network\)$/m);
      expect(shown.out).toMatch(/^ {2}home paths {6}\(none: nothing of your home is shown\)$/m);
      expect(shown.out).toMatch(/^ {2}host sockets {4}\(none\)$/m);

      const set = await run(home, ['repo', 'config', id, '--script-network', 'on', '--home-path', '~/.gitconfig, ~/.cargo/registry', '--unix-socket', '/var/run/docker.sock', '--json']);
      expect(set.code).toBe(0);
      const userHome = process.env.HOME ?? os.homedir();
      expect(JSON.parse(set.out)).toMatchObject({
        scriptNetwork: true,
        homeReadOnlyPaths: [path.join(userHome, '.gitconfig'), path.join(userHome, '.cargo', 'registry')],
        unixSockets: ['/var/run/docker.sock'],
      });
      const human = (await run(home, ['repo', 'config', id])).out;
      expect(human).toContain(`  script network  on (setup and cleanup scripts may use the network)`);
      expect(human).toContain(`  home paths      ${path.join(userHome, '.gitconfig')}, ${path.join(userHome, '.cargo', 'registry')}`);
      expect(human).toContain('  host sockets    /var/run/docker.sock');

      const replaced = await run(home, ['repo', 'config', id, '--home-path', '~/.npm/_cacache', '--unix-socket', '', '--script-network', 'off', '--json']);
      expect(JSON.parse(replaced.out)).toMatchObject({ scriptNetwork: false, homeReadOnlyPaths: [path.join(userHome, '.npm', '_cacache')], unixSockets: [] });
      const cleared = await run(home, ['repo', 'config', id, '--home-path', '', '--json']);
      expect(JSON.parse(cleared.out)).toMatchObject({ homeReadOnlyPaths: [] });
    });

    it('repo config refuses relative, secret and outside-the-home paths, naming each, and keeps the old values', async () => {
      const id = [...(await host.handlers['repos.list']({})).repos][0]?.id ?? '';
      await run(home, ['repo', 'config', id, '--unix-socket', '/run/ok.sock']);
      const refused = await run(home, ['repo', 'config', id, '--home-path', '.gitconfig,~/.ssh,/etc', '--unix-socket', 'docker.sock']);
      expect(refused.code).toBe(1);
      expect(refused.out).toBe('');
      expect(refused.err).toHaveLength(1);
      expect(refused.err[0]).toMatch(/^flotilla: Nothing was saved\. Host sockets refused: "docker\.sock" is relative/);
      expect(refused.err[0]).toContain('Home paths refused: ".gitconfig" is relative (write it from / or from ~/); "~/.ssh" is inside ~/.ssh');
      expect(refused.err[0]).toContain('"/etc" is outside your home');
      const after = JSON.parse((await run(home, ['repo', 'config', id, '--json'])).out) as { unixSockets: string[] };
      expect(after.unixSockets).toEqual(['/run/ok.sock']);
    });

    it('task new --wait returns once the task leaves queued/running', async () => {
      const done = await run(home, ['task', 'new', '--repo', `./${path.basename(repoDir)}`, '--prompt', 'finish', '--title', 'Add hello'], path.dirname(repoDir));
      expect(done.code).toBe(0);
      expect(done.out).toMatch(/^Created t\d+ {2}queued {2}flotilla\/t\d+ {2}Add hello$/);

      const waited = await run(home, ['task', 'new', '--repo', repoDir, '--prompt', 'finish', '--wait', '--json']);
      expect(waited.code).toBe(0);
      const task = JSON.parse(waited.out) as Record<string, unknown>;
      expect(task).toMatchObject({ status: 'review', repo: repoDir, title: 'finish' });
      expect(Object.keys(task).slice(0, 4)).toEqual(['id', 'title', 'repo', 'status']);

      const failed = await run(home, ['task', 'new', '--repo', repoDir, '--prompt', 'fail', '--wait']);
      expect(failed.code).toBe(1);
      expect(failed.out).toMatch(/Task t\d+ is failed: the model refused the connection$/);
    });

    it('task list prints aligned columns', async () => {
      const { code, out } = await run(home, ['task', 'list']);
      expect(code).toBe(0);
      const lines = out.split('\n');
      expect(lines[0]).toMatch(/^ID +STATUS +REPO +BRANCH +TITLE$/);
      const statusColumn = lines[0]?.indexOf('STATUS');
      const branchColumn = lines[0]?.indexOf('BRANCH');
      for (const line of lines.slice(1)) {
        expect(line.indexOf(' review ') + 1 || line.indexOf(' queued ') + 1 || line.indexOf(' failed ') + 1).toBe(statusColumn);
        expect(line.indexOf('flotilla/')).toBe(branchColumn);
      }
      expect(lines).toHaveLength(4);
    });

    it('task show, diff, merge, stop and discard', async () => {
      const created = await run(home, ['task', 'new', '--repo', repoDir, '--prompt', 'stay queued', '--json']);
      const queued = host.tasks.get((JSON.parse(created.out) as { id: string }).id);
      const review = [...host.tasks.values()].find((t) => t.status === 'review');
      if (!review || !queued) throw new Error('fixture tasks missing');

      const shown = await run(home, ['task', 'show', review.id]);
      expect(shown.out).toMatch(/^Task {6}t\d+$/m);
      expect(shown.out).toMatch(/^Status {4}review$/m);
      expect((await run(home, ['task', 'show', 'nope'])).err).toEqual(['flotilla: no task nope']);

      const diff = await run(home, ['task', 'diff', review.id]);
      expect(diff.code).toBe(0);
      expect(diff.out).toBe('diff --git a/hello.txt b/hello.txt\nnew file mode 100644\n--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1 @@\n+hello\n');

      const refused = await run(home, ['task', 'merge', queued.id, '--json']);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.out)).toEqual({ ok: false, kind: 'invalid_state', message: expect.stringContaining('only a task in review') });
      expect(refused.err).toHaveLength(1);

      const merged = await run(home, ['task', 'merge', review.id, '--strategy', 'squash', '--json']);
      expect(merged.code).toBe(0);
      expect(JSON.parse(merged.out)).toEqual({ ok: true, commit: 'abcabcabcabcabcabcabcabcabcabcabcabcabca' });

      const stopped = await run(home, ['task', 'stop', queued.id]);
      expect(stopped.out).toMatch(/^Stopped t\d+ {2}stopped \(stopped by you\)/);
      const discarded = await run(home, ['task', 'discard', queued.id, '--json']);
      expect(JSON.parse(discarded.out)).toMatchObject({ id: queued.id, status: 'discarded' });
    });

    it('repo add expands a leading ~ that no shell expanded (quoted, or after --opt=)', async () => {
      const { io, out, err } = capture(home);
      const code = await main(['repo', 'add', `~/${path.basename(repoDir)}`], { ...io, env: { ...io.env, HOME: path.dirname(repoDir) } });
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(out.join('\n')).toContain(`at ${repoDir}`);
    });

    it('a second serve on the same home is refused while this one lives', async () => {
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
      const otherHome = tempDir('flotilla-cli-busy-');
      fs.writeFileSync(serverFilePath(otherHome), JSON.stringify({ url: 'http://127.0.0.1:9/?token=x', port: 9, token: 'x', pid: other.pid }));
      try {
        const { io, err } = capture(otherHome, { createHost: async () => createFakeHost(), stopSignal: new Promise(() => {}) });
        expect(await main(['serve'], io)).toBe(1);
        expect(err).toEqual([`flotilla: another Flotilla host is already running on this data folder (pid ${other.pid} at http://127.0.0.1:9/)`]);
      } finally {
        other.kill();
      }
    });

    it('on stop: removes server.json and disposes the host', async () => {
      stop();
      expect(await served).toBe(0);
      expect(fs.existsSync(serverFilePath(home))).toBe(false);
      expect(host.isDisposed).toBe(true);
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
