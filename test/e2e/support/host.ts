import type { Task } from '../../../shared/model/task.js';
import type { FlotillaServer } from '../../fixtures/flotillaProcess.js';

/**
 * The host's API as the CLI reaches it (`POST /api/invoke/<method>` with the bearer token), for
 * setting a test up: no `flotilla` process to start per call, so a test's setup costs little.
 * What a test asserts still goes through the CLI or the page, as a user would see it.
 */
export interface HostApi {
  invoke<T = unknown>(method: string, input?: unknown): Promise<T>;
  /** `tasks.create`; a refusal fails the test. */
  newTask(input: NewTask): Promise<Task>;
  /** Polls `tasks.get` every 100 ms until `isDone` (by default: no longer queued or running); 30 s at most. */
  task(id: string, isDone?: (task: Task) => boolean): Promise<Task>;
}

export interface NewTask {
  repo: string;
  prompt: string;
  title?: string;
  start?: boolean;
}

const isSettled = (task: Task) => task.status !== 'queued' && task.status !== 'running';

export function hostApi(flotilla: FlotillaServer): HostApi {
  const token = new URL(flotilla.url).searchParams.get('token') ?? '';
  async function invoke<T>(method: string, input: unknown = {}): Promise<T> {
    const response = await fetch(`${flotilla.origin}/api/invoke/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`${method}: ${response.status} ${body.error ?? ''}`);
    return body;
  }
  return {
    invoke,
    async newTask(input) {
      const reply = await invoke<{ ok: true; task: Task } | { ok: false; message: string }>('tasks.create', input);
      if (!reply.ok) throw new Error(`tasks.create: ${reply.message}`);
      return reply.task;
    },
    async task(id, isDone = isSettled) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const reply = await invoke<{ ok: true; task: Task } | { ok: false; message: string }>('tasks.get', { id });
        if (!reply.ok) throw new Error(`tasks.get: ${reply.message}`);
        if (isDone(reply.task)) return reply.task;
        if (Date.now() > deadline) throw new Error(`task ${id} is still ${reply.task.status} after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
