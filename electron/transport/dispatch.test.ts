import { describe, expect, it } from 'vitest';
import { invokeMethod } from './dispatch.js';
import { createFakeHost } from '../server/testing/fakeHost.js';

describe('invokeMethod', () => {
  it('parses the input with the contract before the handler sees it', async () => {
    let seen: unknown;
    const host = createFakeHost({
      overrides: {
        'tasks.merge': async (input) => {
          seen = input;
          return { ok: false, kind: 'not_found', message: 'no task' };
        },
      },
    });
    const result = await invokeMethod(host.handlers, 'tasks.merge', { id: 't1', extra: 'dropped' });
    // The default strategy is filled in and unknown keys are gone.
    expect(seen).toEqual({ id: 't1', strategy: 'merge' });
    expect(result).toEqual({ ok: true, output: { ok: false, kind: 'not_found', message: 'no task' } });
  });

  it('treats a missing input as no options', async () => {
    const result = await invokeMethod(createFakeHost().handlers, 'tasks.list', undefined);
    expect(result).toEqual({ ok: true, output: { tasks: [] } });
  });

  it('answers 404 for names that are not contract methods, own properties only', async () => {
    const handlers = createFakeHost().handlers;
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 42, null]) {
      const result = await invokeMethod(handlers, name, {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.status).toBe(404);
    }
  });

  it("answers 400 with zod's first issue in plain words", async () => {
    const handlers = createFakeHost().handlers;
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

  it('turns a throw into a logged 500, never a crash', async () => {
    const logged: unknown[] = [];
    const handlers = createFakeHost({
      overrides: {
        'app.info': async () => {
          throw new TypeError('x is undefined');
        },
      },
    }).handlers;
    const result = await invokeMethod(handlers, 'app.info', {}, (message, error) => logged.push(message, error));
    expect(result).toEqual({ ok: false, status: 500, message: 'internal error: x is undefined' });
    expect(logged[0]).toBe('flotilla: app.info threw');
    expect(logged[1]).toBeInstanceOf(TypeError);
  });
});

describe('invokeMethod without a connection (plain HTTP)', () => {
  it('refuses the per-connection methods as an expected failure', async () => {
    const handlers = createFakeHost().handlers;
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
