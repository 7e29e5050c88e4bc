import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { NO_GRANTS } from '../../../shared/model/approval.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgentWorkspace, type AgentWorkspace } from '../../../test/fixtures/agentWorkspace.js';
import { startModelServer, type ModelServer } from '../../../test/fixtures/modelServer.js';
import { runSandboxed } from '../sandbox/runSandboxed.js';
import { CommandGate } from './commandGate.js';
import { runAgentLoop, type AgentLoopDeps, type CommandRunner } from './agentLoop.js';
import type { WorkerEvent, WorkerStartConfig } from './workerProtocol.js';

/**
 * The agent loop in-process (the worker's logic without the fork): real SDK, scripted model
 * server, real bubblewrap. The paths the fork test cannot reach easily live here.
 */

let model: ModelServer;
let workspace: AgentWorkspace;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      { name: 'no sandbox', match: 'no sandbox', steps: [{ type: 'shell', command: 'touch must-not-exist.txt' }, { type: 'message', text: 'x' }] },
      { name: 'drop', match: 'drop once', steps: [{ type: 'drop' }, { type: 'message', text: 'survived the drop' }] },
      {
        name: 'busy',
        match: 'keep busy',
        steps: [
          { type: 'shell', command: 'echo 1' },
          { type: 'shell', command: 'echo 2' },
          { type: 'shell', command: 'echo 3' },
          { type: 'message', text: 'never reached' },
        ],
      },
      {
        name: 'follow-up',
        match: 'first turn',
        steps: [
          { type: 'message', text: 'answer one' },
          { type: 'shell', command: 'printf two > two.txt' },
          { type: 'message', text: 'answer two' },
        ],
      },
      { name: 'hang', match: 'hang', steps: [{ type: 'hang', ms: 10_000 }, { type: 'message', text: 'late' }] },
      { name: 'down', match: 'always down', steps: [{ type: 'fault', status: 503, body: '{"error":{"message":"overloaded, try later"}}' }] },
      { name: 'timeout', match: 'too slow', steps: [{ type: 'shell', command: 'sleep 5; echo never' }, { type: 'message', text: 'ok' }] },
    ],
  });
  workspace = await makeAgentWorkspace();
});

afterAll(async () => {
  await model?.close();
  await workspace?.cleanup();
});

function config(message: string, overrides: Partial<WorkerStartConfig> = {}): WorkerStartConfig {
  return {
    taskId: 't',
    worktreePath: workspace.worktreePath,
    sandbox: workspace.sandbox,
    hiddenPaths: [],
    model: 'test-model',
    baseURL: model.url,
    history: [],
    message,
    approval: 'on-request',
    grants: NO_GRANTS,
    commandTimeoutMs: 30_000,
    maxSteps: 50,
    ...overrides,
  };
}

function loop(message: string, opts: { config?: Partial<WorkerStartConfig>; deps?: Partial<AgentLoopDeps>; bwrapPath?: string } = {}) {
  const events: WorkerEvent[] = [];
  const cfg = config(message, opts.config);
  const runCommand: CommandRunner = (command, { onOutput, signal, spec }) =>
    runSandboxed(spec, command, { onOutput, signal, timeoutMs: cfg.commandTimeoutMs, bwrapPath: opts.bwrapPath });
  const gate = new CommandGate({
    spec: cfg.sandbox,
    approval: cfg.approval,
    grants: cfg.grants,
    hiddenPaths: cfg.hiddenPaths,
    ask: () => Promise.reject(new Error('no approvals in these tests')),
  });
  const end = runAgentLoop(cfg, {
    client: new OpenAI({ baseURL: model.url, apiKey: 'k', maxRetries: 1 }),
    runCommand,
    gate,
    emit: (event) => events.push(event),
    instructions: 'test',
    signal: new AbortController().signal,
    streamIdleMs: 10_000,
    ...opts.deps,
  });
  return { end, events };
}

describe('runAgentLoop', () => {
  it('fails with sandbox_unavailable and never runs the command unsandboxed', async () => {
    const { end, events } = loop('no sandbox here', { bwrapPath: '/nonexistent/bwrap' });
    const result = await end;
    expect(result).toMatchObject({ type: 'turn_failed', kind: 'sandbox_unavailable' });
    if (result.type !== 'turn_failed') throw new Error('unreachable');
    expect(result.reason).toContain('sandbox unavailable: install bubblewrap');
    expect(fs.existsSync(path.join(workspace.worktreePath, 'must-not-exist.txt'))).toBe(false);
    // The started command is closed, and the history stays resendable (the call has its output).
    expect(events.map((event) => event.type)).toEqual(['command_started', 'command_output', 'command_finished']);
    expect(result.history.at(-1)).toMatchObject({ type: 'function_call_output' });
  });

  it('tries a stream again when the socket drops mid-response', async () => {
    const { end, events } = loop('drop once please');
    expect(await end).toMatchObject({ type: 'turn_done' });
    expect(events).toEqual([{ type: 'agent_message', text: 'survived the drop' }]);
    const attempts = model.requests.filter((request) => request.scenario === 'drop');
    expect(attempts).toHaveLength(2);
    // A fresh request from the loop, not an SDK retry: the first one broke after its headers.
    expect(attempts[1]?.headers['x-stainless-retry-count']).toBe('0');
  });

  it('ends the turn after maxSteps model calls with a consistent history', async () => {
    const { end, events } = loop('keep busy', { config: { maxSteps: 2 } });
    const result = await end;
    expect(result.type).toBe('turn_done');
    expect(events.filter((event) => event.type === 'command_started')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'agent_message', text: expect.stringContaining('after 2 model calls') });
    if (result.type !== 'turn_done') throw new Error('unreachable');
    const types = result.history.map((item) => (item as { type?: string }).type ?? 'message');
    expect(types.filter((type) => type === 'function_call')).toHaveLength(2);
    expect(types.filter((type) => type === 'function_call_output')).toHaveLength(2);
  });

  it('continues a conversation from the history of an earlier turn', async () => {
    const first = await loop('first turn').end;
    if (first.type !== 'turn_done') throw new Error(`first turn: ${first.type}`);
    const { end, events } = loop('and now the second', { config: { history: first.history } });
    const second = await end;
    expect(second.type).toBe('turn_done');
    expect(events.at(-1)).toEqual({ type: 'agent_message', text: 'answer two' });
    expect(fs.readFileSync(path.join(workspace.worktreePath, 'two.txt'), 'utf8')).toBe('two');
    const lastBody = model.requests.at(-1)?.body as { input: unknown[] };
    expect(lastBody.input[0]).toEqual({ role: 'user', content: 'first turn' });
    expect(lastBody.input).toContainEqual({ role: 'assistant', content: 'answer one' });
    expect(lastBody.input).toContainEqual({ role: 'user', content: 'and now the second' });
  });

  it('reports a model that never answers as an API failure', async () => {
    const client = new OpenAI({ baseURL: model.url, apiKey: 'k', maxRetries: 0, timeout: 300 });
    const result = await loop('hang forever', { deps: { client } }).end;
    expect(result).toMatchObject({ type: 'turn_failed', kind: 'api' });
    if (result.type === 'turn_failed') expect(result.reason).toBe(`model API at ${model.url} did not answer in time`);
  });

  it("passes the server's own message on when it keeps failing", async () => {
    const result = await loop('always down').end;
    expect(result).toEqual({
      type: 'turn_failed',
      kind: 'api',
      reason: `model API error 503 at ${model.url}: overloaded, try later`,
      history: [{ role: 'user', content: 'always down' }],
    });
  });

  it('kills a command at its time limit and tells the model why', async () => {
    const { end, events } = loop('too slow', { config: { commandTimeoutMs: 500 } });
    const result = await end;
    expect(result.type).toBe('turn_done');
    expect(events.find((event) => event.type === 'command_finished')).toMatchObject({ isKilled: true, exitCode: null });
    if (result.type !== 'turn_done') throw new Error('unreachable');
    const output = result.history.find((item) => (item as { type?: string }).type === 'function_call_output') as { output: string };
    expect(output.output).toContain('[killed: no result within 0.5 s (the command time limit)]');
  });

  it('stops between steps when its signal is aborted', async () => {
    const controller = new AbortController();
    const { end } = loop('hang forever', { deps: { signal: controller.signal } });
    setTimeout(() => controller.abort(), 200);
    expect(await end).toEqual({ type: 'stopped' });
  });
});
