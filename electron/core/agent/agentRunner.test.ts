import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { NO_GRANTS } from '../../../shared/model/approval.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgentWorkspace, type AgentWorkspace } from '../../../test/fixtures/agentWorkspace.js';
import { startModelServer, type ModelServer } from '../../../test/fixtures/modelServer.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { startAgentTurn, type TurnOutcome } from './agentRunner.js';
import type { WorkerEvent, WorkerStartConfig } from './workerProtocol.js';

/**
 * The agent worker for real: forked from the build, the real `openai` SDK against the
 * scripted model server, every command in real bubblewrap inside a real git worktree.
 */

const API_KEY = 'sk-test-do-not-leak-4711';
/** Unique durations, so the leftover-process checks never see another test's sleep. */
const STOP_SLEEP = 'sleep 30.4711';
const KILL_SLEEP = 'sleep 30.4712';

let model: ModelServer;
let workspace: AgentWorkspace;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'happy',
        match: 'write hello',
        steps: [
          { type: 'shell', command: 'echo hello > hello.txt', text: 'Writing the file.' },
          { type: 'shell', command: 'cat missing.txt' },
          { type: 'message', text: 'done' },
        ],
      },
      { name: 'flaky', match: 'flaky', steps: [{ type: 'fault', status: 500, times: 2 }, { type: 'message', text: 'recovered' }] },
      { name: 'stop', match: 'stop me', steps: [{ type: 'shell', command: STOP_SLEEP }, { type: 'message', text: 'slept' }] },
      { name: 'kill', match: 'kill me', steps: [{ type: 'shell', command: KILL_SLEEP }, { type: 'message', text: 'slept' }] },
      { name: 'env', match: 'show env', steps: [{ type: 'shell', command: 'env' }, { type: 'message', text: 'ok' }] },
    ],
  });
  workspace = await makeAgentWorkspace({ 'README.md': '# demo\n', 'AGENTS.md': 'Always run the linter: npm run lint-xyz.\n' });
}, 240_000);

afterAll(async () => {
  await model?.close();
  await workspace?.cleanup();
});

function config(message: string, overrides: Partial<WorkerStartConfig> = {}): WorkerStartConfig {
  return {
    taskId: 'task-1',
    worktreePath: workspace.worktreePath,
    sandbox: workspace.sandbox,
    hiddenPaths: [],
    model: 'test-model',
    baseURL: model.url,
    history: [],
    message,
    approval: 'on-request',
    grants: NO_GRANTS,
    commandTimeoutMs: 60_000,
    maxSteps: 50,
    ...overrides,
  };
}

function run(message: string, overrides: Partial<WorkerStartConfig> = {}) {
  const events: WorkerEvent[] = [];
  const handle = startAgentTurn({
    config: config(message, overrides),
    env: { PATH: process.env.PATH, OPENAI_API_KEY: API_KEY },
    onEvent: (event) => events.push(event),
  });
  return { handle, events };
}

function requestsOf(scenario: string) {
  return model.requests.filter((request) => request.scenario === scenario);
}

function inputOf(body: unknown): string {
  return JSON.stringify((body as { input?: unknown }).input);
}

/** Host processes whose command line holds `marker` (bwrap's own pid namespace still shows here). */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether the sleep of `marker` runs (its own process, not only bwrap's command line that names it). */
function isSleeping(marker: string): boolean {
  return processesWith(marker).some((line) => line.trim().replace(/^\d+\s+/, '') === marker);
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return predicate();
}

describe('startAgentTurn', () => {
  it('runs commands in the worktree, feeds output and exit codes back, and reports events in order', async () => {
    const { handle, events } = run('Please write hello into a file');
    const outcome = await handle.done;

    expect(outcome.kind).toBe('done');
    expect(fs.readFileSync(path.join(workspace.worktreePath, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(events.map((event) => event.type)).toEqual([
      'agent_message',
      'command_started',
      'command_finished',
      'command_started',
      'command_output',
      'command_finished',
      'agent_message',
    ]);
    const [preamble, start1, finish1, start2, output2, finish2, final] = events;
    expect(preamble).toEqual({ type: 'agent_message', text: 'Writing the file.' });
    expect(start1).toMatchObject({ type: 'command_started', command: 'echo hello > hello.txt' });
    expect(finish1).toMatchObject({ type: 'command_finished', exitCode: 0, isKilled: false });
    expect(start2).toMatchObject({ type: 'command_started', command: 'cat missing.txt' });
    expect(output2?.type === 'command_output' && output2.chunk).toContain('missing.txt');
    expect(finish2).toMatchObject({ type: 'command_finished', exitCode: 1, isKilled: false });
    expect(start1?.type === 'command_started' && finish1?.type === 'command_finished' && start1.callId === finish1.callId).toBe(true);
    expect(final).toEqual({ type: 'agent_message', text: 'done' });

    const requests = requestsOf('happy');
    expect(requests).toHaveLength(3);
    expect(requests[0]?.body).toMatchObject({ model: 'test-model', stream: true, store: false, tools: [{ name: 'shell' }, { name: 'apply_patch' }, { name: 'read_file' }, { name: 'update_plan' }] });
    expect(inputOf(requests[1]?.body)).toContain('function_call_output');
    expect(inputOf(requests[1]?.body)).toContain('[exit code 0]');
    expect(inputOf(requests[2]?.body)).toContain('No such file or directory');
    expect(inputOf(requests[2]?.body)).toContain('[exit code 1]');
    // AGENTS.md at the worktree root joins the instructions.
    const instructions = (requests[0]?.body as { instructions?: string }).instructions ?? '';
    expect(instructions).toContain('sandbox');
    expect(instructions).toContain('Always run the linter: npm run lint-xyz.');
    // The key went to the model API as a header only, never into the worker's reported data.
    expect(JSON.stringify(events)).not.toContain(API_KEY);

    if (outcome.kind !== 'done') throw new Error('unreachable');
    expect(outcome.usage.inputTokens).toBeGreaterThan(0);
    expect(outcome.usage.outputTokens).toBeGreaterThan(0);
    expect(outcome.history[0]).toEqual({ role: 'user', content: 'Please write hello into a file' });
    expect(outcome.history.at(-1)).toEqual({ role: 'assistant', content: 'done' });
    const outputs = outcome.history.filter((item) => (item as { type?: string }).type === 'function_call_output');
    expect(outputs).toHaveLength(2);
  });

  it('keeps the API key out of sandboxed commands', async () => {
    const { handle, events } = run('show env please');
    expect((await handle.done).kind).toBe('done');
    const output = events.flatMap((event) => (event.type === 'command_output' ? [event.chunk] : [])).join('');
    expect(output).toContain('HOME=');
    expect(output).not.toContain(API_KEY);
    expect(output).not.toContain('OPENAI_API_KEY');
  });

  it('fails with a clear reason when the model API refuses the connection', async () => {
    // A port that was free a moment ago (fetch itself blocks port 1 without connecting).
    const port = await freePort();
    const { handle, events } = run('anything', { baseURL: `http://127.0.0.1:${port}/v1` });
    const outcome = await handle.done;
    expect(outcome).toMatchObject({
      kind: 'failed',
      reason: `model API unreachable at http://127.0.0.1:${port}/v1: connection refused`,
      isSandboxUnavailable: false,
    });
    expect(events).toEqual([]);
    if (outcome.kind === 'failed') expect(outcome.history).toEqual([{ role: 'user', content: 'anything' }]);
  });

  it('gets through two 500s thanks to the SDK retries', async () => {
    const { handle, events } = run('flaky model');
    const outcome = await handle.done;
    expect(outcome.kind).toBe('done');
    expect(events).toEqual([{ type: 'agent_message', text: 'recovered' }]);
    expect(requestsOf('flaky')).toHaveLength(3);
  });

  it('stops a running command within ~1.5 s and leaves no process behind', async () => {
    let stoppedAt = 0;
    let commandEndedAt = 0;
    const events: WorkerEvent[] = [];
    const handle = startAgentTurn({
      config: config('stop me now'),
      env: { PATH: process.env.PATH, OPENAI_API_KEY: API_KEY },
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'command_finished' && stoppedAt > 0) commandEndedAt = Date.now();
        if (event.type === 'command_started') {
          // Let the sleep really start inside bwrap before stopping (30 s: a loaded machine is slow, a stuck start fails below).
          void waitFor(() => isSleeping(STOP_SLEEP), 30_000).then(() => {
            stoppedAt = Date.now();
            handle.stop();
          });
        }
      },
    });
    const outcome: TurnOutcome = await handle.done;
    const elapsed = Date.now() - stoppedAt;

    expect(outcome).toEqual({ kind: 'stopped' });
    expect(stoppedAt).toBeGreaterThan(0);
    // The command is killed and reported within 1.5 s (0.25–0.5 s with 4 busy loops on 2 cores).
    expect(commandEndedAt).toBeGreaterThan(0);
    expect(commandEndedAt - stoppedAt).toBeLessThan(1_500);
    // The worker is SIGKILLed 1 s after the stop if still there; at nice 10 on a loaded machine its
    // teardown adds up to a second more (1.2–2.0 s measured). A stop that failed to kill would
    // wait out the 30 s sleep: 10 s tells the two apart without failing under load.
    expect(elapsed).toBeLessThan(10_000);
    expect(events.at(-1)).toMatchObject({ type: 'command_finished', isKilled: true, exitCode: null });
    expect(processesWith(STOP_SLEEP)).toEqual([]);
    expect(requestsOf('stop')).toHaveLength(1);
  });

  it('reports a worker killed with SIGKILL as crashed, and its command dies with it', async () => {
    let pid: number | undefined;
    const handle = startAgentTurn({
      config: config('kill me now'),
      env: { PATH: process.env.PATH, OPENAI_API_KEY: API_KEY },
      onEvent: (event) => {
        if (event.type === 'command_started') {
          // Killed once its command really runs, so the check below sees the sandbox go with it.
          void waitFor(() => isSleeping(KILL_SLEEP), 30_000).then(() => {
            pid = handle.pid;
            if (pid !== undefined) process.kill(pid, 'SIGKILL');
          });
        }
      },
    });
    const outcome = await handle.done;
    expect(pid).toBeDefined();
    expect(outcome.kind).toBe('crashed');
    if (outcome.kind === 'crashed') expect(outcome.reason).toContain('SIGKILL');
    // --die-with-parent: bwrap's sandbox goes when the worker does.
    // 10 s: the kernel kills the sandbox at once; a loaded machine may take a while to reap it.
    expect(await waitFor(() => processesWith(KILL_SLEEP).length === 0, 10_000)).toBe(true);
  });

  it('reports a missing worker script as crashed instead of throwing', async () => {
    const handle = startAgentTurn({
      config: config('x'),
      env: {},
      onEvent: () => {},
      workerScript: path.join(PACKAGE_ROOT, 'out/no-such-worker.js'),
    });
    const outcome = await handle.done;
    expect(outcome.kind).toBe('crashed');
  });
});
