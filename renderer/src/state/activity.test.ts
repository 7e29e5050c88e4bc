import { describe, expect, it } from 'vitest';
import { createFakeClient } from '../testing/fakeClient.js';
import { makeEvent } from '../testing/fixtures.js';
import { createFakeTimers } from '../testing/fakeTimers.js';
import { activityOf, firstLine } from './activity.js';
import { createActivityStore, startActivity } from './activityStore.js';
import { createKeyedThrottle } from './keyedThrottle.js';

describe('activityOf', () => {
  it('shows the command just started, and the first line of what the agent said', () => {
    expect(activityOf({ kind: 'command_started', callId: 'c', command: 'npm test -- --run\n# second line' })).toEqual({
      kind: 'command',
      text: '$ npm test -- --run',
    });
    expect(activityOf({ kind: 'agent_message', text: '\n  Tests pass now.  \nDetails follow' })).toEqual({
      kind: 'message',
      text: 'Tests pass now.',
    });
  });

  it('ignores command output, and events that say nothing about the activity', () => {
    expect(activityOf({ kind: 'command_output', callId: 'c', chunk: 'PASS 12 tests\n' })).toBeNull();
    expect(activityOf({ kind: 'checkpoint', commit: 'abc', filesChanged: 1, turn: 1 })).toBeNull();
    expect(activityOf({ kind: 'agent_message', text: '  \n ' })).toBeNull();
  });

  it('caps very long lines', () => {
    const line = firstLine('x'.repeat(1000));
    expect(line).toHaveLength(160);
    expect(line?.endsWith('…')).toBe(true);
  });
});

describe('createKeyedThrottle', () => {
  function setup() {
    const clock = createFakeTimers(10_000);
    const emitted: Array<[string, number, number]> = [];
    const throttle = createKeyedThrottle<number>({
      intervalMs: 250,
      timers: clock.timers,
      emit: (key, value) => emitted.push([key, value, clock.now()]),
    });
    return { clock, emitted, throttle };
  }

  it('emits the first value at once and the newest of a burst at the end of the interval', () => {
    const { clock, emitted, throttle } = setup();
    throttle.push('a', 1);
    for (let i = 2; i <= 50; i++) {
      clock.advance(10);
      throttle.push('a', i);
    }
    clock.advance(1_000);
    expect(emitted[0]).toEqual(['a', 1, 10_000]);
    expect(emitted.at(-1)?.[1]).toBe(50);
    // 490 ms of pushes every 10 ms: 1 leading + 2 trailing emits, never two within 250 ms.
    expect(emitted.length).toBe(3);
    for (let i = 1; i < emitted.length; i++) expect(emitted[i]![2] - emitted[i - 1]![2]).toBeGreaterThanOrEqual(250);
  });

  it('holds at most 4 emits per second per key under a steady flood, and keys do not wait for each other', () => {
    const { clock, emitted, throttle } = setup();
    for (let t = 0; t < 2_000; t += 5) {
      throttle.push('a', t);
      if (t === 1_000) throttle.push('b', -1);
      clock.advance(5);
    }
    clock.advance(500);
    const a = emitted.filter(([key]) => key === 'a');
    expect(a.length).toBeLessThanOrEqual(9); // 2 s at ≤ 4/s, plus the trailing value
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a.at(-1)?.[1]).toBe(1_995);
    expect(emitted.find(([key]) => key === 'b')).toEqual(['b', -1, 11_000]);
  });

  it('drops pending values on dispose', () => {
    const { clock, emitted, throttle } = setup();
    throttle.push('a', 1);
    throttle.push('a', 2);
    throttle.dispose();
    clock.advance(1_000);
    expect(emitted.map(([, v]) => v)).toEqual([1]);
    expect(clock.pendingCount()).toBe(0);
  });
});

describe('startActivity', () => {
  it('feeds throttled lines per task into the store, notifying only that task', () => {
    const fake = createFakeClient({});
    const clock = createFakeTimers();
    const store = createActivityStore();
    const stop = startActivity(fake.client, store, clock.timers);
    let aNotified = 0;
    let bNotified = 0;
    store.subscribe('a', () => aNotified++);
    store.subscribe('b', () => bNotified++);

    fake.emit('tasks.onDidAppendEvent', { event: makeEvent(1, { kind: 'command_started', callId: 'c1', command: 'ls' }, 'a') });
    fake.emit('tasks.onDidAppendEvent', { event: makeEvent(2, { kind: 'command_output', callId: 'c1', chunk: 'x\n' }, 'a') });
    fake.emit('tasks.onDidAppendEvent', { event: makeEvent(3, { kind: 'agent_message', text: 'Done listing' }, 'a') });
    expect(store.get('a')).toEqual({ kind: 'command', text: '$ ls' });
    clock.advance(250);
    expect(store.get('a')).toEqual({ kind: 'message', text: 'Done listing' });
    expect(aNotified).toBe(2);
    expect(bNotified).toBe(0);
    expect(store.get('b')).toBeUndefined();

    stop();
    expect(fake.listenerCount()).toBe(0);
  });
});
