import { describe, expect, it } from 'vitest';
import { makeTask } from '../testing/fixtures.js';
import type { FlotillaBridge } from './bridge.js';
import { createIpcClient } from './ipcClient.js';

function fakeBridge(outputs: Record<string, unknown>) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: Array<{ method: string; input: unknown }> = [];
  const bridge: FlotillaBridge = {
    async invoke(method, input) {
      calls.push({ method, input });
      return outputs[method];
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const emit = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  return { bridge, calls, emit, listenerCount: (event: string) => listeners.get(event)?.size ?? 0 };
}

describe('createIpcClient', () => {
  it('passes calls through and parses outputs with the contract', async () => {
    const task = makeTask();
    const fake = fakeBridge({ 'tasks.get': { ok: true, task }, 'tasks.list': { tasks: [{ id: 1 }] } });
    const client = createIpcClient(fake.bridge);
    await expect(client.invoke('tasks.get', { id: 't1' })).resolves.toEqual({ ok: true, task });
    expect(fake.calls).toEqual([{ method: 'tasks.get', input: { id: 't1' } }]);
    await expect(client.invoke('tasks.list', {})).rejects.toThrow(/unexpected reply to tasks.list/);
    expect(client.connectionStatus()).toBe('connected');
  });

  it('parses event payloads, drops malformed ones, and unsubscribes', () => {
    const fake = fakeBridge({});
    const client = createIpcClient(fake.bridge);
    const seen: unknown[] = [];
    const off = client.on('repos.onDidChange', (payload) => seen.push(payload));
    fake.emit('repos.onDidChange', { repos: 'nope' });
    fake.emit('repos.onDidChange', { repos: [] });
    expect(seen).toEqual([{ repos: [] }]);
    off();
    expect(fake.listenerCount('repos.onDidChange')).toBe(0);
  });
});
