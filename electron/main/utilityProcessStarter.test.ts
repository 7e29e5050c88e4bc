import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_GRANTS } from '../../shared/model/approval.js';
import { makeAgentWorkspace, type AgentWorkspace } from '../../test/fixtures/agentWorkspace.js';
import { startModelServer, type ModelServer } from '../../test/fixtures/modelServer.js';
import { startAgentTurn } from '../core/agent/agentRunner.js';
import type { WorkerEvent, WorkerStartConfig } from '../core/agent/workerProtocol.js';
import { startPtyHost } from '../core/terminal/ptyHostProcess.js';
import type { PtyHostToHost } from '../core/terminal/ptyHostProtocol.js';
import { isAlive, tempDir, testEnv, waitFor } from '../core/terminal/testTerminals.js';
import { fakeUtilityProcess, type FakeUtilityProcess } from './testing/fakeUtilityProcess.js';
import { utilityProcessStarter } from './utilityProcessStarter.js';

/**
 * The app's helper processes started as utility processes: the real pty host and the real agent
 * worker, each in its own process that sees `process.parentPort` (and no `process.send`), as
 * under Electron. Only `utilityProcess.fork` itself is stood in for (no Electron binary here).
 */

let utility: FakeUtilityProcess;
let model: ModelServer;
let workspace: AgentWorkspace;

beforeAll(async () => {
  utility = fakeUtilityProcess();
  model = await startModelServer({
    scenarios: [
      { name: 'hello', match: 'write hello', steps: [{ type: 'shell', command: 'echo hello | tee hello.txt' }, { type: 'message', text: 'done' }] },
      // 5 s: the worker is surely mid-turn when the test kills it.
      { name: 'slow', match: 'think slowly', steps: [{ type: 'hang', ms: 5_000 }, { type: 'message', text: 'late' }] },
    ],
  });
  workspace = await makeAgentWorkspace({ 'README.md': '# demo\n' });
}, 120_000);

afterAll(async () => {
  utility?.dispose();
  await model?.close();
  await workspace?.cleanup();
});

function workerConfig(taskId: string, message: string): WorkerStartConfig {
  return {
    taskId,
    worktreePath: workspace.worktreePath,
    sandbox: workspace.sandbox,
    hiddenPaths: [],
    model: 'test-model',
    baseURL: model.url,
    history: [],
    message,
    approval: 'never',
    grants: NO_GRANTS,
    commandTimeoutMs: 60_000,
    maxSteps: 10,
  };
}

describe('utilityProcessStarter', () => {
  it('runs the pty host as a utility process: spawn, output and exit arrive over parentPort; a kill is reported', async () => {
    const host = startPtyHost({ startChild: utilityProcessStarter(utility) });
    const messages: PtyHostToHost[] = [];
    host.onMessage((message) => {
      messages.push(message);
      if (message.type === 'data') host.send({ type: 'ack', id: message.id, chars: message.data.length });
    });
    let exitReason: string | null = null;
    host.onExit((reason) => (exitReason = reason));

    const id = randomUUID();
    host.send({ type: 'spawn', id, file: '/bin/sh', args: ['-c', 'printf "from the pty"; exit 3'], cwd: tempDir(), env: testEnv(), cols: 80, rows: 24 });
    await waitFor('the exit of the pty', () => messages.some((m) => m.type === 'exit'));
    const output = messages.flatMap((m) => (m.type === 'data' ? [m.data] : [])).join('');
    expect(output).toContain('from the pty');
    expect(messages.find((m) => m.type === 'exit')).toMatchObject({ exitCode: 3 });

    const fork = utility.forks.at(-1);
    expect(fork?.modulePath).toMatch(/out\/electron\/core\/terminal\/ptyHost\.js$/);
    expect(fork?.env.ELECTRON_RUN_AS_NODE).toBeUndefined();

    const pid = host.pid;
    expect(pid).toBeDefined();
    host.kill();
    await waitFor('the exit report', () => exitReason !== null);
    expect(exitReason).toMatch(/^killed/);
    await waitFor('the process to be gone', () => !isAlive(pid ?? 0));
  });

  it('runs an agent turn in a utility-process worker: start in, every event and the outcome out', async () => {
    const events: WorkerEvent[] = [];
    const handle = startAgentTurn({
      startChild: utilityProcessStarter(utility),
      config: workerConfig('task-utility', 'write hello'),
      env: { PATH: process.env.PATH, OPENAI_API_KEY: 'sk-test-utility' },
      onEvent: (event) => events.push(event),
    });
    const outcome = await handle.done;
    expect(outcome.kind).toBe('done');
    expect(events.map((event) => event.type)).toEqual(['command_started', 'command_output', 'command_finished', 'agent_message']);
    expect(fs.readFileSync(`${workspace.worktreePath}/hello.txt`, 'utf8')).toBe('hello\n');

    const fork = utility.forks.at(-1);
    expect(fork?.modulePath).toMatch(/out\/electron\/core\/agent\/agentWorker\.js$/);
    expect(Object.keys(fork?.env ?? {}).sort()).toEqual(['OPENAI_API_KEY', 'PATH']);
  });

  it('reports a worker killed mid-turn as crashed, as for a Node child', async () => {
    const handle = startAgentTurn({
      startChild: utilityProcessStarter(utility),
      config: workerConfig('task-killed', 'think slowly'),
      env: { PATH: process.env.PATH, OPENAI_API_KEY: 'sk-test-utility' },
      onEvent: () => {},
    });
    await waitFor('the worker pid', () => handle.pid !== undefined);
    process.kill(handle.pid ?? 0, 'SIGKILL');
    const outcome = await handle.done;
    expect(outcome.kind).toBe('crashed');
  });
});
