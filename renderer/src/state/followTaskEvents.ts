import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import type { UiClient } from '../transport/uiClient.js';
import { errorMessage } from './startSync.js';
import type { TaskWatch } from './taskWatch.js';

export interface TaskEventSink {
  /** New events of the task, in seq order, each once: the history first, then live ones. */
  events(batch: readonly TaskEvent[]): void;
  /** The history (or, after a reconnect, what was missed) is in. */
  loaded(): void;
  failed(message: string): void;
}

/**
 * Follows one task's journal, command output included: watch the task, and once the host has
 * confirmed, read the history; live events that come meanwhile wait and are merged by seq.
 * Watching first means nothing falls between the read and the live stream. After a reconnect
 * the same again from the last seq: events sent while the link was down are gone, and live
 * ones that arrive before the catch-up wait for it, so the order holds. Returns a disposer.
 */
export function followTaskEvents(client: UiClient, watch: TaskWatch, taskId: string, sink: TaskEventSink): () => void {
  let isLive = true;
  /** True while events may go straight to the sink: the history is in and the link has held. */
  let isCaughtUp = false;
  let lastSeq = -1;
  let waiting: TaskEvent[] = [];
  /** The last read failed: live events are dropped rather than kept for a catch-up that may never come. */
  let hasFailed = false;
  let reads = 0;

  const deliver = (events: readonly TaskEvent[]) => {
    const fresh: TaskEvent[] = [];
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= lastSeq) continue;
      lastSeq = event.seq;
      fresh.push(event);
    }
    if (fresh.length > 0) sink.events(fresh);
  };

  const offEvents = client.on('tasks.onDidAppendEvent', ({ event }) => {
    if (event.taskId !== taskId) return;
    if (isCaughtUp) deliver([event]);
    else if (!hasFailed) waiting.push(event);
  });
  const offConnection = client.onConnectionChange((status) => {
    if (status !== 'connected') isCaughtUp = false;
  });

  const read = async () => {
    const current = ++reads;
    isCaughtUp = false;
    hasFailed = false;
    try {
      const result = await client.invoke('tasks.events', lastSeq >= 0 ? { id: taskId, afterSeq: lastSeq } : { id: taskId });
      // A newer read (after another reconnect) owns the catch-up now.
      if (!isLive || current !== reads) return;
      if (!result.ok) return fail(result.message);
      const batch = [...result.events, ...waiting];
      waiting = [];
      isCaughtUp = true;
      deliver(batch);
      sink.loaded();
    } catch (error) {
      if (isLive && current === reads && client.connectionStatus() === 'connected') fail(errorMessage(error));
    }
  };

  const fail = (message: string) => {
    hasFailed = true;
    waiting = [];
    sink.failed(message);
  };

  const unwatch = watch.watch(taskId, () => void read());
  return () => {
    isLive = false;
    unwatch();
    offEvents();
    offConnection();
  };
}
