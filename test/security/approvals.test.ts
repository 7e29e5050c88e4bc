import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlotilla, makeTempHome, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../fixtures/tempRepo.js';

/**
 * Going beyond the sandbox only with the user's word: a request waits in Needs you, "once"
 * asks again next time, "for this task" does not, a denial reaches the model, and "never"
 * refuses without asking. Real bwrap, a real loopback listener, real files.
 */

interface TaskJson {
  id: string;
  status: string;
  statusReason: string | null;
  worktreePath: string;
  pendingApproval: { kind: string; command: string; reason: string; widening: { network: boolean; writablePaths: string[] } } | null;
  grants: { network: boolean; writablePaths: string[]; commands: string[] };
}

let model: ModelServer;
let flotilla: FlotillaServer;
let listener: net.Server;
let port: number;
let outside: string;
const repos: TempRepo[] = [];

beforeAll(async () => {
  listener = net.createServer((socket) => socket.end('hello from the host\n'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;
  outside = fs.mkdtempSync(path.join(makeTempHome(), 'outside '));
  // bash's /dev/tcp needs no curl; `cat <&3` prints what the host sent.
  const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`;
  model = await startModelServer({
    scenarios: [
      {
        name: 'network thrice',
        match: 'fetch three times',
        steps: [
          { type: 'shell', command: connect, network: true, justification: 'download the fixtures' },
          { type: 'shell', command: connect, network: true, justification: 'again' },
          { type: 'shell', command: connect, network: true, justification: 'and again' },
          { type: 'shell', command: connect, network: true, justification: 'no need to ask now' },
          { type: 'message', text: 'fetched' },
        ],
      },
      {
        name: 'write outside',
        match: 'write outside',
        steps: [
          { type: 'shell', command: `touch '${outside}/planted'`, writablePaths: [outside], justification: 'cache' },
          { type: 'message', text: 'gave up' },
        ],
      },
      {
        name: 'untrusted',
        match: 'careful edits',
        steps: [
          { type: 'shell', command: 'ls -la' },
          { type: 'shell', command: 'echo edited > edited.txt' },
          { type: 'message', text: 'edited' },
        ],
      },
    ],
  });
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  listener?.close();
  for (const repo of repos) await repo.cleanup();
});

async function newRepo(): Promise<TempRepo> {
  const repo = await makeTempRepo();
  repos.push(repo);
  return repo;
}

async function waitForStatus(id: string, wanted: string[]): Promise<TaskJson> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const task = await flotilla.cliJson<TaskJson>(['task', 'show', id]);
    if (wanted.includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${id} is ${task.status}, not ${wanted.join('/')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('approvals (on-request)', () => {
  it('asks for network, once means once, "for this task" means the rest of the task', async () => {
    const repo = await newRepo();
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'fetch three times', '--wait']);
    expect(task.status).toBe('needs_input');
    expect(task.statusReason).toMatch(/approval needed: network access/);
    expect(task.pendingApproval).toMatchObject({ kind: 'escalation', reason: 'download the fixtures', widening: { network: true } });
    const listed = await flotilla.cli(['task', 'list']);
    expect(listed.stdout).toContain('needs_input');

    // While the agent waits for the decision, it takes no other message.
    const busy = await flotilla.cli(['task', 'send', task.id, '--message', 'something else']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/waiting for your approval/);

    expect((await flotilla.cli(['task', 'approve', task.id])).code).toBe(0);
    // Approved once: the next identical request waits again.
    const again = await waitForStatus(task.id, ['needs_input']);
    expect(again.pendingApproval?.reason).toBe('again');
    expect((await flotilla.cli(['task', 'approve', task.id, '--always'])).code).toBe(0);
    // The third and fourth requests are covered by the grant: no more waiting.
    const done = await waitForStatus(task.id, ['review', 'failed', 'needs_input']);
    expect(done.status).toBe('review');
    expect(done.grants.network).toBe(true);

    const log = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(log.match(/hello from the host/g)?.length).toBe(4);
    expect(log).toContain('approved once');
    expect(log).toContain('approved for this task');
  });

  it('a denial goes back to the model with the reason, and the write never happens', async () => {
    const repo = await newRepo();
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'write outside the worktree', '--wait']);
    expect(task.status).toBe('needs_input');
    expect(task.pendingApproval?.widening.writablePaths).toEqual([fs.realpathSync(outside)]);
    expect((await flotilla.cli(['task', 'deny', task.id, '--reason', 'keep out of my folders'])).code).toBe(0);
    const done = await waitForStatus(task.id, ['review', 'failed']);
    expect(done.status).toBe('review');
    expect(fs.existsSync(path.join(outside, 'planted'))).toBe(false);
    const toolResult = JSON.stringify(model.requests.at(-1)?.body);
    expect(toolResult).toContain('denied');
    expect(toolResult).toContain('keep out of my folders');
  });

  it('refuses approve and deny when nothing is waiting', async () => {
    const repo = await newRepo();
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'careful edits', '--wait']);
    const result = await flotilla.cli(['task', 'approve', task.id]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no command waiting for approval/);
  });
});

describe('approval policy never', () => {
  it('refuses the escalation without asking, and the model is told why', async () => {
    const repo = await newRepo();
    const task = await flotilla.cliJson<TaskJson>([
      'task', 'new', '--repo', repo.path, '--prompt', 'write outside the worktree', '--approval', 'never', '--wait',
    ]);
    expect(task.status).toBe('review');
    expect(fs.existsSync(path.join(outside, 'planted'))).toBe(false);
    expect(JSON.stringify(model.requests.at(-1)?.body)).toContain('approval policy');
  });
});

describe('the default policy in settings', () => {
  it('applies to new tasks that do not choose their own, and only to them', async () => {
    expect((await flotilla.cli(['config', 'set', 'defaultApproval', 'never'])).code).toBe(0);
    try {
      const repo = await newRepo();
      const task = await flotilla.cliJson<TaskJson & { policy: { approval: string } }>([
        'task', 'new', '--repo', repo.path, '--prompt', 'write outside the worktree', '--wait',
      ]);
      expect(task.policy.approval).toBe('never');
      expect(task.status).toBe('review');
      expect(fs.existsSync(path.join(outside, 'planted'))).toBe(false);
      const bad = await flotilla.cli(['config', 'set', 'defaultSandbox', 'wide-open']);
      expect(bad.code).toBe(1);
    } finally {
      await flotilla.cli(['config', 'set', 'defaultApproval', 'on-request']);
    }
  });
});

describe('approval policy untrusted', () => {
  it('lets read-only commands through and holds the rest for the user', async () => {
    const repo = await newRepo();
    const task = await flotilla.cliJson<TaskJson>([
      'task', 'new', '--repo', repo.path, '--prompt', 'careful edits', '--approval', 'untrusted', '--wait',
    ]);
    expect(task.status).toBe('needs_input');
    expect(task.pendingApproval).toMatchObject({ kind: 'untrusted_command', command: 'echo edited > edited.txt' });
    expect(fs.existsSync(path.join(task.worktreePath, 'edited.txt'))).toBe(false);
    await flotilla.cli(['task', 'approve', task.id]);
    const done = await waitForStatus(task.id, ['review', 'failed']);
    expect(done.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'edited.txt'), 'utf8')).toBe('edited\n');
  });
});

describe('sandbox modes chosen at creation', () => {
  it('read-only: the agent cannot change the worktree, and is told it was the sandbox', async () => {
    const repo = await newRepo();
    const task = await flotilla.cliJson<TaskJson>([
      'task', 'new', '--repo', repo.path, '--prompt', 'careful edits', '--sandbox', 'read-only', '--wait',
    ]);
    expect(task.status).toBe('review');
    expect(fs.existsSync(path.join(task.worktreePath, 'edited.txt'))).toBe(false);
    expect(JSON.stringify(model.requests.at(-1)?.body)).toMatch(/\[sandbox/);
  });
});
