import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempHome, startFlotilla, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../fixtures/tempRepo.js';

/**
 * SECURITY.md promise 14: the repo's setup and cleanup scripts are the user's (kept in
 * Flotilla), but what they run comes from the worktree, which is the agent's: `make clean`
 * runs its Makefile, `npm run …` its package.json. Driven through a real `flotilla serve`
 * and the CLI, with the user's home and secrets in the host's environment:
 *
 * - the cleanup script `make clean`, on discard, runs the agent's Makefile;
 * - the setup script `npm run --silent setup` runs in a worktree restored from the task branch,
 *   which holds the agent's package.json;
 *
 * and afterwards nothing was written in the user's home or the host's /tmp, no secret is in
 * the task's journal, and the scripts' own work inside the worktree was done.
 * The network part: a setup script reaches a loopback server on the host only when the repo
 * allows its scripts network. And what the repo allowlists (a path of the home, a host socket)
 * reaches its scripts, and nothing else of the home does.
 */

interface TaskJson {
  id: string;
  status: string;
  statusReason: string | null;
  worktreePath: string;
  branch: string;
}

const SECRETS = {
  GH_TOKEN: `ghp_userscripts_${crypto.randomBytes(6).toString('hex')}`,
  AWS_SECRET_ACCESS_KEY: `aws-userscripts-${crypto.randomBytes(6).toString('hex')}`,
  OPENAI_API_KEY: `sk-userscripts-${crypto.randomBytes(6).toString('hex')}`,
};
const SSH_KEY = `-----BEGIN OPENSSH PRIVATE KEY----- userscripts ${crypto.randomBytes(6).toString('hex')}`;

let model: ModelServer;
let repo: TempRepo;
/** Stands in for the user's real home ($HOME of the host): outside /tmp, which sandboxes replace. */
let userHome: string;
/** Where the planted scripts try to write on the host, beside the user's home. */
let hostTmpMarker: string;
const servers: FlotillaServer[] = [];

const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Agent', '-c', 'user.email=agent@flotilla.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  });

/** What every planted script tries, as shell lines: escape, steal, and show it got through. */
function attackLines(tag: string): string[] {
  return [
    `echo ${tag} > "$HOME/${tag}-via-HOME"`,
    `echo ${tag} > ${q(path.join(userHome, `${tag}-absolute`))}`,
    `echo ${tag} > ${q(`${hostTmpMarker}-${tag}`)}`,
    `cat ${q(path.join(userHome, '.ssh', 'id_ed25519'))}`,
    'env',
    'echo "gh=$GH_TOKEN aws=$AWS_SECRET_ACCESS_KEY openai=$OPENAI_API_KEY"',
  ];
}

function host(home = makeTempHome()): Promise<FlotillaServer> {
  return startFlotilla({ home, env: { HOME: userHome, OPENAI_BASE_URL: model.url, ...SECRETS } }).then((server) => {
    servers.push(server);
    return server;
  });
}

/** Soft: a failure lists every way out that worked, not just the first. */
function expectNothingEscaped(tag: string, log: string): void {
  expect.soft(fs.readdirSync(userHome).filter((name) => name.startsWith(tag)), 'written in the user’s home').toEqual([]);
  expect.soft(fs.existsSync(`${hostTmpMarker}-${tag}`), 'written in the host’s /tmp').toBe(false);
  for (const [name, value] of Object.entries(SECRETS)) expect.soft(log, `${name} in the journal`).not.toContain(value);
  expect.soft(log, 'the SSH key in the journal').not.toContain(SSH_KEY);
}

beforeAll(async () => {
  model = await startModelServer({ scenarios: [{ name: 'default', steps: [{ type: 'message', text: 'nothing to do' }] }] });
  repo = await makeTempRepo({ files: { 'README.md': '# demo\n' } });
  const outsideTmp = fs.existsSync('/var/tmp') ? '/var/tmp' : os.homedir();
  userHome = path.join(fs.mkdtempSync(path.join(outsideTmp, 'flotilla-user-scripts-')), 'home');
  fs.mkdirSync(path.join(userHome, '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(userHome, '.ssh', 'id_ed25519'), `${SSH_KEY}\n`);
  hostTmpMarker = path.join('/tmp', `flotilla-user-scripts-${crypto.randomBytes(6).toString('hex')}`);
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await model?.close();
  await repo?.cleanup();
  if (userHome) fs.rmSync(path.dirname(userHome), { recursive: true, force: true });
  for (const tag of ['cleanup', 'setup']) fs.rmSync(`${hostTmpMarker}-${tag}`, { force: true });
});

describe('user scripts run the agent’s files inside the task’s sandbox', () => {
  it('cleanup: `make clean` runs the agent’s Makefile with no way out of the worktree', async () => {
    const flotilla = await host();
    const added = await flotilla.cliJson<{ id: string }>(['repo', 'add', repo.path]);
    expect((await flotilla.cli(['repo', 'config', added.id, '--cleanup', 'make clean'])).code).toBe(0);
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', added.id, '--prompt', 'Tidy the build', '--backlog']);

    // What the agent wrote from its sandbox: a build folder and a Makefile whose `clean` does more.
    fs.mkdirSync(path.join(task.worktreePath, 'build'));
    fs.writeFileSync(path.join(task.worktreePath, 'build', 'out.o'), 'object\n');
    const recipe = ['rm -rf build', 'test ! -e build && echo build-removed-in-worktree', ...attackLines('cleanup')];
    // `-`: make carries on after a refused line, so every attempt is made.
    fs.writeFileSync(path.join(task.worktreePath, 'Makefile'), `clean:\n${recipe.map((line) => `\t-${line.replaceAll('$', () => '$$')}`).join('\n')}\n`);

    expect((await flotilla.cli(['task', 'discard', task.id])).code).toBe(0);
    const log = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(log).toContain('cleanup script: make clean');
    expect(log).toContain('build-removed-in-worktree');
    expectNothingEscaped('cleanup', log);
    expect(fs.existsSync(task.worktreePath)).toBe(false);
  });

  it('setup: runs the agent’s package.json in a worktree restored from its branch, with no way out', async () => {
    const home = makeTempHome();
    let flotilla = await host(home);
    const added = await flotilla.cliJson<{ id: string }>(['repo', 'add', repo.path]);
    expect((await flotilla.cli(['repo', 'config', added.id, '--setup', 'npm run --silent setup'])).code).toBe(0);
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', added.id, '--prompt', 'Set up the project', '--backlog']);

    // The agent's work, committed on its branch as a checkpoint does: a package.json whose
    // `setup` script tries to leave the worktree.
    const setup = ['echo set-up > setup-done.txt', ...attackLines('setup')].join('; ');
    fs.writeFileSync(path.join(task.worktreePath, 'package.json'), `${JSON.stringify({ name: 'demo', private: true, scripts: { setup } }, null, 2)}\n`);
    git(task.worktreePath, 'add', 'package.json');
    git(task.worktreePath, 'commit', '-q', '--no-verify', '-m', 'agent: add package.json');
    // The worktree folder goes missing; the next host restores it from the task branch.
    await flotilla.stop();
    fs.rmSync(task.worktreePath, { recursive: true, force: true });
    flotilla = await host(home);
    expect(fs.readFileSync(path.join(task.worktreePath, 'package.json'), 'utf8')).toContain('setup-done.txt');

    const started = await flotilla.cliJson<TaskJson>(['task', 'start', task.id, '--wait']);
    const log = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(started.status, `${started.statusReason}\n${log}`).toBe('review');
    expect(log).toContain('setup script: npm run --silent setup');
    expect(fs.readFileSync(path.join(task.worktreePath, 'setup-done.txt'), 'utf8')).toBe('set-up\n');
    expectNothingEscaped('setup', log);
  });
});

describe('network for setup scripts', () => {
  let server: net.Server;
  let connections = 0;
  let flotilla: FlotillaServer;
  let repoId: string;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections += 1;
      socket.end('hello from the host\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    flotilla = await host();
    repoId = (await flotilla.cliJson<{ id: string }>(['repo', 'add', repo.path])).id;
    const { port } = server.address() as net.AddressInfo;
    // bash's /dev/tcp: no curl or nc needed in the sandbox.
    const setup = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -n 1 <&3`;
    expect((await flotilla.cli(['repo', 'config', repoId, '--setup', setup])).code).toBe(0);
  });

  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('is off by default: the script cannot reach a loopback server, and the task says why it may have failed', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repoId, '--prompt', 'Needs the network', '--wait']);
    expect(task.status).toBe('failed');
    expect(task.statusReason).toMatch(/setup script failed.*without network unless the repo allows it/);
    expect(task.statusReason).toContain('--script-network on');
    expect(connections).toBe(0);
    expect((await flotilla.cli(['task', 'log', task.id])).stdout).not.toContain('hello from the host');
  });

  it('is on when the repo allows it: the script shares the host’s network', async () => {
    const configured = await flotilla.cli(['repo', 'config', repoId, '--script-network', 'on']);
    expect(configured.code, configured.stderr).toBe(0);
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repoId, '--prompt', 'Needs the network', '--wait']);
    expect(task.status, task.statusReason ?? '').toBe('review');
    expect(connections).toBe(1);
    expect((await flotilla.cli(['task', 'log', task.id])).stdout).toContain('hello from the host');
  });
});

describe('what the repo allowlists reaches its scripts, and nothing more', () => {
  let socketServer: net.Server;
  let socketPath: string;
  let flotilla: FlotillaServer;
  let repoId: string;

  beforeAll(async () => {
    fs.writeFileSync(path.join(userHome, '.gitconfig'), '[user]\n\tname = Allowlisted\n');
    fs.writeFileSync(path.join(userHome, 'diary.txt'), 'not allowlisted\n');
    // Outside /tmp (which the sandbox replaces): a host socket the sandbox could only see read-only.
    socketPath = path.join(path.dirname(userHome), 'tool.sock');
    socketServer = net.createServer((socket) => socket.end('hello over the allowlisted socket\n'));
    await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
    flotilla = await host();
    repoId = (await flotilla.cliJson<{ id: string }>(['repo', 'add', repo.path])).id;
    const connect = `${q(process.execPath)} -e ${q(
      "require('net').connect(process.argv[1]).on('data', (d) => process.stdout.write('GOT ' + d)).on('error', (e) => { console.log('ERR ' + e.code); process.exitCode = 1; })",
    )} ${q(socketPath)}`;
    const setup = [
      'cat "$HOME/.gitconfig"',
      `cat ${q(path.join(userHome, 'diary.txt'))} || echo diary-hidden`,
      `${connect} || true`,
    ].join('; ');
    expect((await flotilla.cli(['repo', 'config', repoId, '--setup', setup])).code).toBe(0);
  });

  afterAll(() => new Promise<void>((resolve) => (socketServer ? socketServer.close(() => resolve()) : resolve())));

  it('without allowlists: nothing of the home, no host socket', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repoId, '--prompt', 'Allowlists', '--wait']);
    const log = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(log).not.toContain('Allowlisted');
    expect(log).toContain('diary-hidden');
    expect(log).not.toContain('GOT hello');
  });

  it('with ~/.gitconfig and the socket allowlisted: both reach the script, the rest of the home stays hidden', async () => {
    const configured = await flotilla.cli(['repo', 'config', repoId, '--home-path', '~/.gitconfig', '--unix-socket', socketPath]);
    expect(configured.code, configured.stderr).toBe(0);
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repoId, '--prompt', 'Allowlists', '--wait']);
    const log = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(task.status, log).toBe('review');
    expect(log).toContain('name = Allowlisted');
    expect(log).toContain('diary-hidden');
    expect(log).toContain('GOT hello over the allowlisted socket');
  });
});
