import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlotilla, type FlotillaServer } from './fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';
import { connectWs, type WsClient } from './fixtures/terminalClient.js';

/** A task's interactive terminal through the real server: type, read, Ctrl-C, reattach, and the sandbox holds. */

interface TaskJson {
  id: string;
  status: string;
  worktreePath: string;
}

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: TempRepo;
let task: TaskJson;
let token: string;
const clients: WsClient[] = [];

beforeAll(async () => {
  model = await startModelServer({ scenarios: [{ name: 'done', steps: [{ type: 'message', text: 'nothing to do' }] }] });
  repo = await makeTempRepo();
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  token = new URL(flotilla.url).searchParams.get('token') ?? '';
  task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'look around', '--wait']);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

async function client(): Promise<WsClient> {
  const c = await connectWs(flotilla.origin, token);
  clients.push(c);
  return c;
}

async function openShell(c: WsClient, kind: 'sandboxed' | 'unsandboxed'): Promise<string> {
  const opened = await c.invoke<{ ok: boolean; sessionId: string; message?: string }>('terminal.open', { taskId: task.id, kind, cols: 100, rows: 30 });
  if (!opened.ok) throw new Error(opened.message);
  const attached = await c.invoke<{ ok: boolean }>('terminal.attach', { sessionId: opened.sessionId });
  expect(attached.ok).toBe(true);
  c.ready(opened.sessionId);
  return opened.sessionId;
}

describe('a task terminal', () => {
  let sessionId: string;
  let first: WsClient;

  it('runs a shell in the worktree and echoes what is typed', async () => {
    first = await client();
    sessionId = await openShell(first, 'sandboxed');
    first.type(sessionId, 'echo "sum=$((40+2))"; pwd\r');
    const out = await first.waitForOutput(sessionId, /sum=42/);
    expect(out).toContain(task.worktreePath);
  });

  it('is the same sandbox as the agent: no writes outside the worktree, no secrets in the environment', async () => {
    // The user's real home: outside the worktree and outside the sandbox's private /tmp.
    const outside = path.join(os.homedir(), `flotilla-escape-${process.pid}`);
    first.type(sessionId, `touch '${outside}' 2>&1 | head -1; env | grep -c OPENAI_API_KEY; echo checked-$((1+1))\r`);
    await first.waitForOutput(sessionId, /checked-2/);
    expect(fs.existsSync(outside)).toBe(false);
    expect(first.output(sessionId)).toMatch(/Read-only file system|Permission denied/);
    // `grep -c` printed 0: the key is not in the shell's environment.
    expect(first.output(sessionId)).toMatch(/\r\n0\r\nchecked-2/);
  });

  it('stops `yes` with Ctrl-C', async () => {
    first.type(sessionId, 'yes flotilla-yes\r');
    await first.waitForOutput(sessionId, /(flotilla-yes\r?\n){50}/);
    first.type(sessionId, '\x03');
    first.type(sessionId, 'echo after-$((2+3))\r');
    await first.waitForOutput(sessionId, /after-5/, 10_000);
  });

  it('shows the current screen to a second connection, without replaying everything', async () => {
    const second = await client();
    const attached = await second.invoke<{ ok: boolean; snapshot: string }>('terminal.attach', { sessionId });
    expect(attached.ok).toBe(true);
    expect(attached.snapshot).toContain('after-5');
    second.ready(sessionId);
    second.type(sessionId, 'echo from-second-$((3+4))\r');
    await second.waitForOutput(sessionId, /from-second-7/);
  });

  it('is recorded by reference: the journal names a file that holds what was shown and typed', async () => {
    const { events } = await first.invoke<{ ok: boolean; events: { body: { kind: string; sessionId?: string; terminal?: string; recording?: string } }[] }>('tasks.events', {
      id: task.id,
    });
    const recorded = events.map((e) => e.body).find((b) => b.kind === 'terminal_recorded' && b.sessionId === sessionId);
    expect(recorded).toMatchObject({ terminal: 'sandboxed' });
    // Never the bytes themselves in the journal.
    expect(JSON.stringify(events)).not.toContain('sum=42');
    const file = path.join(flotilla.home, recorded?.recording ?? 'missing');
    // Written behind the stream (every 200 ms): wait for the last echo to land (20 s for a loaded machine).
    let text = '';
    for (const deadline = Date.now() + 20_000; !text.includes('from-second-7') && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    }
    const [header, ...lines] = text.trim().split('\n');
    expect(JSON.parse(header ?? '{}')).toMatchObject({ version: 2, width: 100, height: 30 });
    const recordedEvents = lines.map((line) => JSON.parse(line) as [number, string, string]);
    const shown = recordedEvents.filter(([, code]) => code === 'o').map(([, , data]) => data).join('');
    const typed = recordedEvents.filter(([, code]) => code === 'i').map(([, , data]) => data).join('');
    expect(shown).toContain('sum=42');
    expect(shown).toContain('from-second-7');
    expect(typed).toContain('echo "sum=$((40+2))"; pwd\r');
    expect(typed).toContain('\x03');
    // Timestamps never go back.
    const times = recordedEvents.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('lists the terminal with its task, and closes it', async () => {
    const listed = await first.invoke<{ ok: boolean; terminals: { sessionId: string; kind: string; isRunning: boolean }[] }>('terminal.list', { taskId: task.id });
    expect(listed.terminals).toContainEqual(expect.objectContaining({ sessionId, kind: 'sandboxed', isRunning: true }));
    expect((await first.invoke<{ ok: boolean }>('terminal.close', { sessionId })).ok).toBe(true);
  });

  it('offers the user an unsandboxed shell on request', async () => {
    const c = await client();
    const id = await openShell(c, 'unsandboxed');
    const outside = path.join(path.dirname(task.worktreePath), `user-shell-${Date.now()}`);
    c.type(id, `touch '${outside}' && echo made-$((5+5))\r`);
    await c.waitForOutput(id, /made-10/);
    expect(fs.existsSync(outside)).toBe(true);
    fs.rmSync(outside);
  });
});
