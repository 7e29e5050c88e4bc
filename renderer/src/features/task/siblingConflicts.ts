import { useCallback, useSyncExternalStore } from 'react';
import type { MethodOutput } from '../../../../shared/contract.js';
import { useClient } from '../../appContext.js';
import type { UiClient } from '../../transport/uiClient.js';

export type TaskConflicts = MethodOutput<'tasks.conflicts'>['conflicts'][number];

/**
 * 1.5 s after the last task change: a turn ends with a burst of changes (checkpoint, status),
 * and each prediction runs `git merge-tree` per pair of open tasks on the host.
 */
const DEBOUNCE_MS = 1_500;

/**
 * The host's conflict predictions (`tasks.conflicts`), shared by every card: asked for once the
 * first card subscribes, then again after task changes settle. One per client.
 */
class ConflictPredictions {
  private byTask = new Map<string, TaskConflicts>();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopWatching: (() => void) | null = null;

  constructor(private readonly client: UiClient) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.stopWatching) {
      this.stopWatching = this.client.on('tasks.onDidChange', () => this.schedule());
      this.schedule(0);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0) return;
      this.stopWatching?.();
      this.stopWatching = null;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    };
  }

  get(taskId: string): TaskConflicts | undefined {
    return this.byTask.get(taskId);
  }

  private schedule(delayMs = DEBOUNCE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private async refresh(): Promise<void> {
    this.timer = null;
    try {
      const { conflicts } = await this.client.invoke('tasks.conflicts', {});
      const next = new Map(conflicts.map((entry) => [entry.taskId, entry]));
      // Unchanged entries keep their identity, so only the cards whose conflicts changed re-render.
      for (const [taskId, entry] of next) {
        const old = this.byTask.get(taskId);
        if (old && JSON.stringify(old) === JSON.stringify(entry)) next.set(taskId, old);
      }
      this.byTask = next;
      for (const listener of this.listeners) listener();
    } catch {
      // Offline or the host is busy: the next task change asks again.
    }
  }
}

const perClient = new WeakMap<UiClient, ConflictPredictions>();

/** The predicted conflicts of one task (with its siblings and its base), or undefined when none. */
export function useTaskConflicts(taskId: string): TaskConflicts | undefined {
  const client = useClient();
  let predictions = perClient.get(client);
  if (!predictions) {
    predictions = new ConflictPredictions(client);
    perClient.set(client, predictions);
  }
  const store = predictions;
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  return useSyncExternalStore(subscribe, () => store.get(taskId));
}
