import { execFileSync } from 'node:child_process';
import xtermHeadless from '@xterm/headless';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeAgentWorkspace, type AgentWorkspace } from '../../../test/fixtures/agentWorkspace.js';
import { runSandboxed, type CommandResult, type RunSandboxedOptions } from '../sandbox/runSandboxed.js';
import { AgentTerminals } from '../tasks/agentTerminals.js';
import { TerminalService } from '../terminal/terminalService.js';
import { waitFor } from '../terminal/testTerminals.js';
import { CommandPtyBridge } from './commandPtyBridge.js';
import { PtyCommands } from './ptyCommands.js';

/**
 * The agent's commands on ptys, for real but in one process: the worker's PtyCommands and the
 * host's CommandPtyBridge talk through an asynchronous stand-in for the IPC channel; the pty
 * host, bubblewrap and the task's Agent terminal (a feed of the TerminalService) are real.
 */

const { Terminal } = xtermHeadless;
const TASK = 'task-pty';
/** Unique durations, so the process checks never see another test's sleeps. */
const ABORT_SLEEP = 'sleep 100.4713';
const CRASH_SLEEP = 'sleep 100.4714';

let workspace: AgentWorkspace;
let service: TerminalService;
let agentTerminals: AgentTerminals;
let worker: PtyCommands;
let host: CommandPtyBridge;
let nextCall = 1;

beforeAll(async () => {
  workspace = await makeAgentWorkspace({ 'README.md': '# pty\n' });
}, 120_000);

afterAll(async () => {
  await workspace?.cleanup();
});

function connect(): void {
  service = new TerminalService();
  agentTerminals = new AgentTerminals({ service });
  // setImmediate: like IPC, each message arrives in a later turn of the event loop.
  worker = new PtyCommands({ send: (message) => setImmediate(() => host.handle(message)) });
  host = new CommandPtyBridge({ host: agentTerminals.commandPtys(TASK), send: (message) => setImmediate(() => worker.handle(message)) });
}

afterEach(() => {
  host?.dispose();
  service?.dispose();
});

/** Runs one command as the agent loop does: header, the command on its pty, exit line. */
async function run(command: string, opts: RunSandboxedOptions = {}): Promise<CommandResult> {
  const callId = `call_${nextCall++}`;
  agentTerminals.observe(TASK, { type: 'command_started', callId, command });
  const result = await runSandboxed(workspace.sandbox, command, { ...opts, spawner: worker.spawner(callId) });
  agentTerminals.observe(TASK, { type: 'command_finished', callId, exitCode: result.exitCode, durationMs: result.durationMs, isKilled: result.isKilled });
  return result;
}

/** The Agent terminal as a viewer would rebuild it: the snapshot, and the screen's lines. */
async function agentScreen(): Promise<{ snapshot: string; lines: string[] }> {
  const info = agentTerminals.info(TASK);
  if (!info) throw new Error('no Agent terminal');
  const taken = await service.snapshot(info.sessionId);
  if (!taken.ok) throw new Error(taken.message);
  const term = new Terminal({ cols: taken.cols, rows: taken.rows, scrollback: 10_000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(taken.snapshot, resolve));
  const lines: string[] = [];
  for (let y = 0; y < term.buffer.active.length; y++) lines.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
  return { snapshot: taken.snapshot, lines };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function pids(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe('agent commands on a pty', () => {
  it('run on a terminal: the model gets plain text, the Agent terminal the colours', async () => {
    connect();
    const result = await run("printf '\\033[31mred\\033[0m\\n'; test -t 1 && echo is-a-tty; printf '10%%\\r50%%\\r100%%\\n'; echo \"$TERM\"");
    expect(result).toMatchObject({ exitCode: 0, isKilled: false, isTruncated: false, output: 'red\nis-a-tty\n100%\nxterm-256color\n' });
    const screen = await agentScreen();
    // Red, as the program printed it (the snapshot re-encodes it as SGR 31).
    // eslint-disable-next-line no-control-regex -- an escape sequence is what is looked for
    expect(screen.snapshot).toMatch(/\x1b\[[0-9;]*31[0-9;]*mred/);
    expect(screen.lines[0]).toMatch(/^\$ printf/);
    expect(screen.lines).toContain('red');
    expect(screen.lines).toContain('is-a-tty');
    expect(screen.lines.some((line) => /^exit 0 · (\d+ ms|\d+\.\d s)$/.test(line))).toBe(true);
    expect(agentTerminals.info(TASK)?.isRunning).toBe(false);
  });

  it('reports the exit code, and shows every command in one terminal, in order', async () => {
    connect();
    expect((await run('echo first; exit 3')).exitCode).toBe(3);
    expect((await run('echo second')).output).toBe('second\n');
    const { lines } = await agentScreen();
    const text = lines.join('\n');
    expect(text).toMatch(/\$ echo first; exit 3\nfirst\nexit 3 · [\d.]+ m?s\n\n\$ echo second\nsecond\nexit 0 · [\d.]+ m?s/);
  });

  it('passes what is typed into the Agent terminal to the running command (a prompt)', async () => {
    connect();
    const running = run('read -p "name? " name; echo "hello $name"');
    await until('the prompt on screen', async () => agentTerminals.info(TASK) !== null && (await agentScreen()).lines.includes('name? '));
    service.write(agentTerminals.info(TASK)?.sessionId ?? '', 'bob\r');
    const result = await running;
    expect(result.output).toContain('hello bob');
    expect(result.exitCode).toBe(0);
  });

  it('lets Ctrl-C typed into the Agent terminal interrupt the command (the pty is its controlling terminal)', async () => {
    connect();
    const running = run('echo waiting; sleep 30; echo not-interrupted');
    await until('the command on screen', async () => agentTerminals.info(TASK) !== null && (await agentScreen()).lines.includes('waiting'));
    service.write(agentTerminals.info(TASK)?.sessionId ?? '', '\x03');
    const result = await running;
    expect(result.output).not.toContain('not-interrupted');
    expect(result.isKilled).toBe(false);
    // Ended by SIGINT: 128 + 2, as a shell would say.
    expect(result.exitCode).toBe(130);
  });

  it('keeps the wall-time limit', async () => {
    connect();
    // 3 s: the first command of a test also waits for its pty host to start.
    const result = await run('echo started; sleep 30', { timeoutMs: 3_000 });
    expect(result).toMatchObject({ exitCode: null, isKilled: true });
    expect(result.output).toContain('started');
    expect((await agentScreen()).lines.some((line) => /^killed · /.test(line))).toBe(true);
  });

  it('keeps the output cap, with the truncation marker', async () => {
    connect();
    const result = await run('yes', { maxOutputChars: 10_000 });
    expect(result).toMatchObject({ isKilled: true, isTruncated: true, exitCode: null });
    expect(result.output.indexOf('\n[output truncated')).toBe(10_000);
    expect(result.output).toMatch(/\n\[output truncated: \d+ more bytes\]$/);
  });

  it('on abort, kills the command and everything it started', async () => {
    connect();
    const abort = new AbortController();
    const running = run(`${ABORT_SLEEP} & ${ABORT_SLEEP}`, { signal: abort.signal });
    await waitFor('the sleeps', () => pids(ABORT_SLEEP).length >= 2);
    abort.abort();
    const result = await running;
    expect(result).toMatchObject({ isKilled: true, exitCode: null });
    // Gone when the result is in, not some time later.
    expect(pids(ABORT_SLEEP)).toEqual([]);
  });

  it('ends the command with a clear reason when the pty host crashes under it', async () => {
    connect();
    const running = run(`echo before; ${CRASH_SLEEP}`);
    await until('the output on screen', async () => (await agentScreen()).lines.includes('before'));
    await waitFor('the sleep', () => pids(CRASH_SLEEP).length > 0);
    const ptyHost = service.ptyHostPid;
    if (ptyHost === undefined) throw new Error('no pty host');
    process.kill(ptyHost, 'SIGKILL');
    const result = await running;
    expect(result.isKilled).toBe(true);
    expect(result.interruption).toMatch(/pty host crashed/);
    expect(result.output).toContain('before');
    await waitFor('no sleep left', () => pids(CRASH_SLEEP).length === 0);
    // The next command starts a new pty host, in the same Agent terminal.
    expect((await run('echo after')).output).toBe('after\n');
    const { lines } = await agentScreen();
    expect(lines).toContain('before');
    expect(lines).toContain('after');
  });
});
