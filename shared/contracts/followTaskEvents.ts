import type { Failure, MethodOutput } from '../contract.js';
import type { TaskEvent } from '../model/taskEvents.js';

/**
 * What following a task needs from a client, whatever its transport: the UI over a reconnecting
 * WebSocket or IPC, the CLI over one connection (`task log --follow`).
 */
export interface TaskEventFeed {
  /** Every live `tasks.onDidAppendEvent` event; returns an unsubscribe function. */
  onAppend(listener: (event: TaskEvent) => void): () => void;
  /**
   * `tasks.watch` for the task until the returned function is called. `onWatching` runs each time
   * the host has confirmed the watch: at first, and again after every reconnect. What to do when
   * the host refuses is the feed's to decide.
   */
  watch(taskId: string, onWatching: () => void): () => void;
  /** One `tasks.events` page; rejects when the call itself failed (the link, the host). */
  read(taskId: string, afterSeq: number | undefined): Promise<MethodOutput<'tasks.events'>>;
  /** The link dropped: live events may be missing until the next `onWatching`. */
  onLinkDown(listener: () => void): () => void;
  /** False while the link is down: a read that failed then is retried after the reconnect, not reported. */
  isConnected(): boolean;
}

export interface TaskEventSink {
  /** New events of the task, in seq order, each once: the history first, then live ones. */
  events(batch: readonly TaskEvent[]): void;
  /** The history (or, after a reconnect, what was missed) is in. */
  loaded(): void;
  /** The read failed: `failure` when the host refused it (`{ ok: false, kind }`), else the call broke. */
  failed(message: string, failure?: Failure): void;
}

/**
 * Follows one task's journal, command output included: watch the task, and once the host has
 * confirmed, read the history; live events that come meanwhile wait and are merged by seq.
 * Watching first means nothing falls between the read and the live stream. After a reconnect
 * the same again from the last seq: events sent while the link was down are gone, and live
 * ones that arrive before the catch-up wait for it, so the order holds. Returns a disposer.
 */
export function followTaskEvents(feed: TaskEventFeed, taskId: string, sink: TaskEventSink): () => void {
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

  const offEvents = feed.onAppend((event) => {
    if (event.taskId !== taskId) return;
    if (isCaughtUp) deliver([event]);
    else if (!hasFailed) waiting.push(event);
  });
  const offLinkDown = feed.onLinkDown(() => {
    isCaughtUp = false;
  });

  const fail = (message: string, failure?: Failure) => {
    hasFailed = true;
    waiting = [];
    sink.failed(message, failure);
  };

  const read = async () => {
    const current = ++reads;
    isCaughtUp = false;
    hasFailed = false;
    try {
      // Page by page (tasks.events replies hold at most a page): each is delivered as it comes;
      // live events wait until the last page is in.
      for (let cursor = lastSeq >= 0 ? lastSeq : undefined; ; ) {
        const result = await feed.read(taskId, cursor);
        // A newer read (after another reconnect) owns the catch-up now.
        if (!isLive || current !== reads) return;
        if (!result.ok) return fail(result.message, result);
        deliver(result.events);
        if (!result.hasMore || result.events.length === 0) break;
        cursor = result.nextAfterSeq;
      }
      const batch = waiting;
      waiting = [];
      isCaughtUp = true;
      deliver(batch);
      sink.loaded();
    } catch (error) {
      if (isLive && current === reads && feed.isConnected()) fail(error instanceof Error ? error.message : String(error));
    }
  };

  const unwatch = feed.watch(taskId, () => void read());
  return () => {
    isLive = false;
    unwatch();
    offEvents();
    offLinkDown();
  };
}
