import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../shared/model/taskEvents.js';
import type { TerminalChannel } from '../core/terminal/terminalChannel.js';
import { startRealHost, type RealHost } from '../../test/fixtures/realHost.js';
import { ConnectionScope, handlersFor } from './connectionScope.js';
import { invokeMethod } from './dispatch.js';

const SESSION = '0f8fad5b-d9cb-469f-a165-70867728950e';
const output = (taskId: string): TaskEvent => ({ seq: 1, taskId, at: 0, body: { kind: 'command_output', callId: 'c1', chunk: 'x' } });

let real: RealHost & { dispose(): Promise<void> };

beforeAll(async () => {
  real = await startRealHost();
});

afterAll(async () => {
  await real.dispose();
});

describe('a connection’s handler table', () => {
  it('answers tasks.watch with the connection’s own scope', async () => {
    const scope = new ConnectionScope();
    const handlers = handlersFor(real.host.handlers, scope);
    expect(await invokeMethod(handlers, 'tasks.watch', { taskIds: ['A'] })).toEqual({ ok: true, output: { ok: true } });
    expect(scope.wants('tasks.onDidAppendEvent', { event: output('A') })).toBe(true);
    expect(scope.wants('tasks.onDidAppendEvent', { event: output('B') })).toBe(false);
    scope.clear();
    expect(scope.wants('tasks.onDidAppendEvent', { event: output('A') })).toBe(false);
  });

  it('attaches through the connection’s terminal channel, once it has one', async () => {
    let channel: TerminalChannel | null = null;
    const handlers = handlersFor(real.host.handlers, new ConnectionScope(() => channel));
    expect(await invokeMethod(handlers, 'terminal.attach', { sessionId: SESSION })).toEqual({
      ok: true,
      output: { ok: false, kind: 'invalid_state', message: 'the terminal channel of this window is not ready; reload the window' },
    });
    // The host's own channel for this connection answers now: there is no such terminal.
    channel = real.host.openTerminalChannel(() => {});
    try {
      expect(await invokeMethod(handlers, 'terminal.attach', { sessionId: SESSION })).toEqual({ ok: true, output: { ok: false, kind: 'not_found', message: `no terminal ${SESSION}` } });
    } finally {
      channel.dispose();
    }
  });

  it('parses a per-connection input like any other', async () => {
    const handlers = handlersFor(real.host.handlers, new ConnectionScope());
    expect(await invokeMethod(handlers, 'terminal.attach', { sessionId: '../etc' })).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/^invalid input: sessionId/) });
  });
});
