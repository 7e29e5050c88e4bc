import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Task } from '../shared/model/task.js';
import { startRealHost, type RealHost } from './fixtures/realHost.js';

/**
 * A follow-up sent the moment a task is announced in Review: the turn that just ended may still
 * hold its slot for a moment while it is released. The message must be taken (queued, then run
 * once the slot is free), never refused with "its agent is still working".
 */

let real: RealHost & { dispose(): Promise<void> };

beforeAll(async () => {
  real = await startRealHost({
    scenarios: [{ name: 'two turns', steps: [{ type: 'message', text: 'First turn done.' }, { type: 'message', text: 'Follow-up done.' }] }],
  });
});

afterAll(async () => {
  await real?.dispose();
});

it('takes a follow-up sent as soon as the task reaches Review, and runs it', async () => {
  const repo = await real.addRepo();
  let stopListening = () => {};
  const reply = new Promise<unknown>((resolve) => {
    stopListening = real.host.onEvent((event, payload) => {
      const task = event === 'tasks.onDidChange' ? (payload as { task: Task }).task : null;
      // Synchronously, in the announcement itself (the host's only task): the earliest moment a client could act on it.
      if (task?.status !== 'review') return;
      stopListening();
      resolve(real.host.handlers['tasks.send']({ id: task.id, message: 'One more thing.' }));
    });
  });
  const task = await real.createTask({ repo: repo.id, prompt: 'Write the first part' });

  expect(await reply).toMatchObject({ ok: true });
  await real.waitForEvent(task.id, (event) => event.body.kind === 'agent_message' && event.body.text === 'Follow-up done.');
  expect((await real.waitForStatus(task.id, 'review')).status).toBe('review');
});
