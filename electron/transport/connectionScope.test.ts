import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../shared/model/taskEvents.js';
import type { TerminalChannel } from '../core/terminal/terminalChannel.js';
import { startRealHost, type RealHost } from '../../test/fixtures/realHost.js';
import { ConnectionScope, handlersFor } from './connectionScope.js';
import { invokeMethod } from './dispatch.js';

const SESSION = '0f8fad5b-d9cb-469f-a165-70867728950e';
const output = (taskId: string): TaskEvent => ({ seq: 1, taskId, at: 0, body: { kind: 'command_output', callId: 'c1', chunk: 'x' } });

/** A terminal channel that only answers attach; the rest of TerminalChannel is not used here. */
function fakeChannel(attached: string[]): TerminalChannel {
  const channel: Pick<TerminalChannel, 'attach'> = {
    attach: async (sessionId) => {
      attached.push(sessionId);
      return { ok: true, snapshot: '$ ', cols: 80, rows: 24 };
    },
  };
  return channel as TerminalChannel;
}

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
    const attached: string[] = [];
    let channel: TerminalChannel | null = null;
    const handlers = handlersFor(real.host.handlers, new ConnectionScope(() => channel));
    expect(await invokeMethod(handlers, 'terminal.attach', { sessionId: SESSION })).toEqual({
      ok: true,
      output: { ok: false, kind: 'invalid_state', message: 'the terminal channel of this window is not ready; reload the window' },
    });
    channel = fakeChannel(attached);
    expect(await invokeMethod(handlers, 'terminal.attach', { sessionId: SESSION })).toEqual({ ok: true, output: { ok: true, snapshot: '$ ', cols: 80, rows: 24 } });
    expect(attached).toEqual([SESSION]);
  });

  it('parses a per-connection input like any other', async () => {
    const handlers = handlersFor(real.host.handlers, new ConnectionScope());
    expect(await invokeMethod(handlers, 'terminal.attach', { sessionId: '../etc' })).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/^invalid input: sessionId/) });
  });
});
