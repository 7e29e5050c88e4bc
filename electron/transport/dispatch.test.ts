import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../shared/contract.js';
import { startRealHost, type RealHost } from '../../test/fixtures/realHost.js';
import { invokeMethod } from './dispatch.js';

let real: RealHost & { dispose(): Promise<void> };
let handlers: Handlers;

beforeAll(async () => {
  real = await startRealHost();
  handlers = real.host.handlers;
});

afterAll(async () => {
  await real.dispose();
});

describe('invokeMethod', () => {
  it('parses the input with the contract before the handler sees it', async () => {
    let seen: unknown;
    const watched: Handlers = {
      ...handlers,
      'tasks.merge': (input) => {
        seen = input;
        return handlers['tasks.merge'](input);
      },
    };
    const result = await invokeMethod(watched, 'tasks.merge', { id: 't1', extra: 'dropped' });
    // The default strategy is filled in and unknown keys are gone.
    expect(seen).toMatchObject({ id: 't1', strategy: 'merge' });
    expect(seen).not.toHaveProperty('extra');
    expect(result).toEqual({ ok: true, output: { ok: false, kind: 'not_found', message: 'no task with id "t1"' } });
  });

  it('treats a missing input as no options', async () => {
    const result = await invokeMethod(handlers, 'repos.list', undefined);
    expect(result).toEqual({ ok: true, output: { repos: [] } });
  });

  it('answers 404 for names that are not contract methods, own properties only', async () => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 42, null]) {
      const result = await invokeMethod(handlers, name, {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.status).toBe(404);
    }
  });

  it("answers 400 with zod's first issue in plain words", async () => {
    expect(await invokeMethod(handlers, 'tasks.create', { repo: 'r', prompt: '' })).toEqual({
      ok: false,
      status: 400,
      message: 'invalid input: prompt: the prompt is empty',
    });
    const missing = await invokeMethod(handlers, 'tasks.get', {});
    expect(missing).toEqual({ ok: false, status: 400, message: 'invalid input: id: expected string, received undefined' });
    const notObject = await invokeMethod(handlers, 'tasks.get', 'abc');
    expect(notObject).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/^invalid input: expected object/) });
  });

  it('turns a throw into a logged 500, never a crash: a host whose database is closed', async () => {
    const broken = await startRealHost();
    await broken.dispose();
    const logged: unknown[] = [];
    const result = await invokeMethod(broken.host.handlers, 'repos.list', {}, (message, error) => logged.push(message, error));
    expect(result).toEqual({ ok: false, status: 500, message: 'internal error: The database connection is not open' });
    expect(logged[0]).toBe('flotilla: repos.list threw');
    expect(logged[1]).toBeInstanceOf(TypeError);
  });
});

describe('invokeMethod without a connection (plain HTTP)', () => {
  it('refuses the per-connection methods as an expected failure', async () => {
    expect(await invokeMethod(handlers, 'tasks.watch', { taskIds: ['A'] })).toEqual({
      ok: true,
      output: { ok: false, kind: 'invalid_state', message: 'watch tasks over the WebSocket or IPC channel' },
    });
    expect(await invokeMethod(handlers, 'terminal.attach', { sessionId: '0f8fad5b-d9cb-469f-a165-70867728950e' })).toEqual({
      ok: true,
      output: { ok: false, kind: 'invalid_state', message: 'attach to a terminal over the WebSocket or IPC channel' },
    });
  });
});
