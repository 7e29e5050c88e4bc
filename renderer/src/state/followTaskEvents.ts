import { followTaskEvents as follow, type TaskEventFeed, type TaskEventSink } from '../../../shared/contracts/followTaskEvents.js';
import type { UiClient } from '../transport/uiClient.js';
import type { TaskWatch } from './taskWatch.js';

export type { TaskEventSink } from '../../../shared/contracts/followTaskEvents.js';

/**
 * Follows one task's journal in the UI (shared/contracts/followTaskEvents.ts: watch, then read,
 * then merge by seq; again from the last seq after every reconnect), through the client's one
 * TaskWatch, since the host keeps one watch set per connection. Returns a disposer.
 */
export function followTaskEvents(client: UiClient, watch: TaskWatch, taskId: string, sink: TaskEventSink): () => void {
  const feed: TaskEventFeed = {
    onAppend: (listener) => client.on('tasks.onDidAppendEvent', ({ event }) => listener(event)),
    watch: (id, onWatching) => watch.watch(id, onWatching),
    read: (id, afterSeq) => client.invoke('tasks.events', afterSeq === undefined ? { id } : { id, afterSeq }),
    onLinkDown: (listener) =>
      client.onConnectionChange((status) => {
        if (status !== 'connected') listener();
      }),
    isConnected: () => client.connectionStatus() === 'connected',
  };
  return follow(feed, taskId, sink);
}
