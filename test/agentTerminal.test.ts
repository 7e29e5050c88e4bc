import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlotilla, type FlotillaServer } from './fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';
import { connectWs, type WsClient } from './fixtures/terminalClient.js';

/**
 * The agent's commands on ptys, through the real `flotilla serve`, the scripted model and real
 * bubblewrap: the model reads plain text, the task's Agent terminal shows the program's own
 * output (colours, every byte), a stop ends the command, and the sandbox holds on the pty path.
 */

interface TaskJson {
  id: string;
  status: string;
  worktreePath: string;
}

interface TerminalListing {
  ok: boolean;
  terminals: { sessionId: string; kind: string; isRunning: boolean }[];
}

/** Unique, so the process checks never see another test file's sleeps. */
const STOP_SLEEP = 'sleep 100.4715';
const SEQ_LINES = 200_000;
const OUTSIDE = path.join(os.homedir(), `flotilla-pty-escape-${process.pid}`);

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: TempRepo;
let token: string;
/** A service on the host's loopback: a sandboxed command must not reach it. */
let listener: net.Server;
let connections = 0;
const clients: WsClient[] = [];

beforeAll(async () => {
  listener = net.createServer((socket) => {
    connections += 1;
    socket.end('hello from the host\n');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as net.AddressInfo).port;
  model = await startModelServer({
    scenarios: [
      {
        name: 'colour',
        match: 'show colour',
        steps: [{ type: 'shell', command: "printf '\\033[31mred\\033[0m\\n'; test -t 1 && echo is-a-tty" }, { type: 'message', text: 'coloured' }],
      },
      {
        name: 'count',
        match: 'count far',
        // Waits for the test's go-ahead, so that a viewer is attached before the first line.
        steps: [{ type: 'shell', command: `while [ ! -e go ]; do sleep 0.05; done; seq 1 ${SEQ_LINES}` }, { type: 'message', text: 'counted' }],
      },
      { name: 'stop', match: 'sleep long', steps: [{ type: 'shell', command: `echo going to sleep; ${STOP_SLEEP}` }, { type: 'message', text: 'slept' }] },
      {
        name: 'write outside',
        match: 'write outside',
        steps: [{ type: 'shell', command: `touch '${OUTSIDE}' && echo escaped || echo refused` }, { type: 'message', text: 'tried' }],
      },
      {
        name: 'network',
        match: 'reach the host',
        steps: [
          { type: 'shell', command: `(exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3) 2>&1 || echo no-network` },
          { type: 'message', text: 'tried' },
        ],
      },
    ],
  });
  repo = await makeTempRepo();
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  token = new URL(flotilla.url).searchParams.get('token') ?? '';
});

afterAll(async () => {
  for (const client of clients) client.close();
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
  await new Promise<void>((resolve) => listener?.close(() => resolve()));
  fs.rmSync(OUTSIDE, { force: true });
});

async function client(): Promise<WsClient> {
  const c = await connectWs(flotilla.origin, token);
  clients.push(c);
  return c;
}

/** The shell output the model read back for the task's first command. */
function shellOutputSeenByModel(prompt: string): string {
  for (const request of model.requests) {
    const body = request.body as { input?: unknown[] } | null;
    const items = Array.isArray(body?.input) ? body.input : [];
    if (!JSON.stringify(items[0] ?? '').includes(prompt)) continue;
    const output = items.find((item): item is { type: string; output: string } => (item as { type?: string }).type === 'function_call_output');
    if (output) return output.output;
  }
  throw new Error(`the model never read a command's output for "${prompt}"`);
}

async function agentTerminalOf(c: WsClient, taskId: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listed = await c.invoke<TerminalListing>('terminal.list', { taskId });
    const agent = listed.terminals.find((t) => t.kind === 'agent');
    if (agent) {
      // First in the list: the Agent tab comes before the shells.
      expect(listed.terminals[0]?.kind).toBe('agent');
      return agent.sessionId;
    }
    if (Date.now() > deadline) throw new Error('the task never got an Agent terminal');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function pids(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe("the agent's commands on a pty", () => {
  it('give the model plain text while the Agent terminal keeps the colour', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'show colour', '--wait']);
    expect(task.status).toBe('review');
    // A terminal: `test -t 1` held; plain text: no escape sequence, no \r.
    expect(shellOutputSeenByModel('show colour')).toBe('red\nis-a-tty\n\n[exit code 0]');

    const c = await client();
    const sessionId = await agentTerminalOf(c, task.id);
    const attached = await c.invoke<{ ok: boolean; snapshot: string }>('terminal.attach', { sessionId });
    expect(attached.ok).toBe(true);
    // The screen as the program drew it: "red" in red (SGR 31), under its dim `$` header.
    // eslint-disable-next-line no-control-regex -- an escape sequence is what is looked for
    expect(attached.snapshot).toMatch(/\x1b\[[0-9;]*31[0-9;]*mred/);
    expect(attached.snapshot).toContain("$ printf '\\033[31mred");
    expect(attached.snapshot).toMatch(/exit 0 · (\d+ ms|\d+\.\d s)/);

    // The transcript has the plain text too.
    const events = await c.invoke<{ ok: boolean; events: { body: { kind: string; chunk?: string } }[] }>('tasks.events', { id: task.id });
    const output = events.events.filter((e) => e.body.kind === 'command_output').map((e) => e.body.chunk).join('');
    expect(output).toBe('red\nis-a-tty\n');

    // And recorded by reference, colour and all: the journal names the file, the file has the bytes.
    const recorded = events.events.map((e) => e.body as { kind: string; sessionId?: string; terminal?: string; recording?: string }).find((b) => b.kind === 'terminal_recorded');
    expect(recorded).toMatchObject({ sessionId, terminal: 'agent' });
    const file = path.join(flotilla.home, recorded?.recording ?? 'missing');
    // Written behind the stream (every 200 ms); 20 s for a loaded machine.
    let recording = '';
    for (const deadline = Date.now() + 20_000; !recording.includes('is-a-tty') && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recording = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    }
    expect(recording).toContain('\\u001b[31mred');
    expect(recording).toContain('is-a-tty');
  });

  it('deliver `seq 1 200000` whole to the Agent terminal, and its end to the model', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'count far']);
    const c = await client();
    const sessionId = await agentTerminalOf(c, task.id);
    expect((await c.invoke<{ ok: boolean }>('terminal.attach', { sessionId })).ok).toBe(true);
    c.ready(sessionId);
    fs.writeFileSync(path.join(task.worktreePath, 'go'), '');
    await c.waitForOutput(sessionId, /exit 0 · /, 60_000);

    let lines = '';
    for (let i = 1; i <= SEQ_LINES; i++) lines += `${i}\r\n`;
    const stream = c.output(sessionId);
    // Every byte, in order, then the exit line: 1 288 895 bytes of seq, and the pty's \r per line.
    expect(lines.length).toBe(1_288_895 + SEQ_LINES);
    // The header came with the snapshot; the stream is the command's output, then the exit line.
    const at = stream.indexOf(lines);
    expect(at).toBeGreaterThanOrEqual(0);
    // eslint-disable-next-line no-control-regex -- the exit line's own escape sequences
    expect(stream.slice(at + lines.length)).toMatch(/^\r\x1b\[0m\x1b\[2mexit 0 · /);

    await waitForStatus(task.id, 'review');
    // The model gets the start and the end, and how much was left out in between.
    const seen = shellOutputSeenByModel('count far');
    expect(seen.startsWith('1\n2\n3\n')).toBe(true);
    expect(seen.endsWith('\n199999\n200000\n\n[exit code 0]')).toBe(true);
    const marker = /\n\[\.\.\. (\d+) characters omitted \.\.\.\]\n/.exec(seen);
    expect(marker).not.toBeNull();
    const shown = seen.length - (marker?.[0].length ?? 0) - '\n[exit code 0]'.length;
    expect(shown + Number(marker?.[1])).toBe(1_288_895);
  });

  it('end on a stop at once: the command and everything it started are gone when the stop returns', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'sleep long']);
    const deadline = Date.now() + 30_000;
    while (pids(STOP_SLEEP).length === 0) {
      if (Date.now() > deadline) throw new Error('the command never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const c = await client();
    const stopAt = performance.now();
    const stopped = await c.invoke<{ ok: boolean }>('tasks.stop', { id: task.id });
    const stopMs = performance.now() - stopAt;
    expect(stopped.ok).toBe(true);
    expect(pids(STOP_SLEEP)).toEqual([]);
    // A figure for the notes, not an assertion: speed is the benchmarks' business.
    console.log(`stop during ${STOP_SLEEP}: tasks.stop answered after ${Math.round(stopMs)} ms`);
    const shown = await flotilla.cliJson<TaskJson>(['task', 'show', task.id]);
    expect(shown.status).toBe('stopped');
    const snapshot = await c.invoke<{ ok: boolean; snapshot: string }>('terminal.attach', { sessionId: await agentTerminalOf(c, task.id) });
    expect(snapshot.snapshot).toContain('going to sleep');
    expect(snapshot.snapshot).toMatch(/killed · /);
  });

  it('still cannot write outside the worktree', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'write outside', '--wait']);
    expect(task.status).toBe('review');
    expect(fs.existsSync(OUTSIDE)).toBe(false);
    const seen = shellOutputSeenByModel('write outside');
    expect(seen).toMatch(/Read-only file system|Permission denied/);
    expect(seen).toContain('refused');
  });

  it('still cannot reach the network, not even the host’s loopback', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'reach the host', '--wait']);
    expect(task.status).toBe('review');
    const seen = shellOutputSeenByModel('reach the host');
    expect(seen).toContain('no-network');
    expect(seen).not.toContain('hello from the host');
    expect(connections).toBe(0);
  });
});

async function waitForStatus(taskId: string, status: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const task = await flotilla.cliJson<TaskJson>(['task', 'show', taskId]);
    if (task.status === status) return;
    if (Date.now() > deadline) throw new Error(`task ${taskId} is ${task.status}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
