import type { ConnectionStatus, UiClient } from '../transport/uiClient.js';

/**
 * The tasks whose command output this page receives. The host keeps one set per connection
 * (`tasks.watch` replaces it), so one owner per client gathers what every open view wants and
 * sends the union; views ask here, never the host directly.
 */
export interface TaskWatch {
  /**
   * Watches `taskId` until the returned function is called. `onWatching` runs each time the host
   * has confirmed the watch: at first, and again after every reconnect (a new connection watches
   * nothing until told). Load the task's history then: from that moment its output comes live.
   */
  watch(taskId: string, onWatching: () => void): () => void;
}

interface Watcher {
  taskId: string;
  onWatching: () => void;
  /** Confirmed on the current connection. */
  isConfirmed: boolean;
}

export function createTaskWatch(client: UiClient): TaskWatch {
  const watchers = new Set<Watcher>();
  /** Bumped whenever the link drops: a reply from before belongs to a connection that is gone. */
  let connection = 0;
  /** The set last sent on this connection, as a key; null when none was. */
  let sentKey: string | null = null;
  let isScheduled = false;

  const sync = () => {
    isScheduled = false;
    const taskIds = [...new Set([...watchers].map((w) => w.taskId))].sort();
    const waiting = [...watchers].filter((w) => !w.isConfirmed);
    const key = taskIds.join('\n');
    if (key === sentKey && waiting.length === 0) return;
    sentKey = key;
    const sentOn = connection;
    const confirm = () => {
      if (sentOn !== connection) return;
      for (const watcher of waiting) {
        if (!watchers.has(watcher) || watcher.isConfirmed) continue;
        watcher.isConfirmed = true;
        watcher.onWatching();
      }
    };
    client.invoke('tasks.watch', { taskIds }).then(
      // A refusal (an older host) still lets views load their history; only live output is missing.
      confirm,
      () => {
        // The link dropped with the call in flight: the reconnect sends the set again. Any other
        // error is the host refusing: load anyway, as above.
        if (client.connectionStatus() === 'connected') confirm();
      },
    );
  };

  // Coalesces the changes of one tick (React's StrictMode mounts, unmounts and mounts again).
  const schedule = () => {
    if (isScheduled) return;
    isScheduled = true;
    queueMicrotask(sync);
  };

  client.onConnectionChange((status: ConnectionStatus) => {
    if (status === 'connected') {
      if (watchers.size > 0) schedule();
      return;
    }
    connection += 1;
    sentKey = null;
    for (const watcher of watchers) watcher.isConfirmed = false;
  });

  return {
    watch(taskId, onWatching) {
      const watcher: Watcher = { taskId, onWatching, isConfirmed: false };
      watchers.add(watcher);
      schedule();
      return () => {
        if (!watchers.delete(watcher)) return;
        schedule();
      };
    },
  };
}

const watches = new WeakMap<UiClient, TaskWatch>();

/**
 * The one TaskWatch of a client: two would overwrite each other's set on the host, so it is
 * kept with the client rather than created by each view.
 */
export function taskWatchOf(client: UiClient): TaskWatch {
  let watch = watches.get(client);
  if (!watch) {
    watch = createTaskWatch(client);
    watches.set(client, watch);
  }
  return watch;
}
