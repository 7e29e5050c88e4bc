import type { Failure, MethodOutput } from '../../shared/contract.js';
import { readAllTaskEvents } from '../../shared/contracts/taskEventPages.js';
import type { TaskEvent } from '../../shared/model/taskEvents.js';
import { followTaskEvents, type TaskEventFeed } from '../../shared/contracts/followTaskEvents.js';
import { isActive, type TaskStatus } from '../../shared/model/taskLifecycle.js';
import { foldTranscript } from '../../shared/model/transcript.js';
import { EXIT_FAILURE, EXIT_OK } from './cliIo.js';
import { arg, type ClientCommand, type CommandContext } from './clientCommands.js';
import { callFailed, expectedFailure, printed, replied } from './commandReplies.js';
import type { CallResult } from './hostClient.js';
import { createLogPrinter } from './logPrinter.js';
import { formatItem } from './transcriptText.js';

/**
 * `flotilla task log ID [--follow]`: the task's transcript as text (or its journal events with
 * --json). `--follow` keeps printing, output included, until the task leaves queued/running.
 */
export const taskLogCommand: ClientCommand = {
  name: 'task log',
  usage: 'task log ID [--follow]',
  options: { follow: { type: 'boolean' } },
  positionals: ['ID'],
  async run(ctx) {
    if (ctx.values.follow === true) return followLog(ctx, arg(ctx, 0));
    return replied(ctx, readWholeJournal(ctx, arg(ctx, 0)), ({ events }) =>
      printed(ctx, events, foldTranscript(events).map(formatItem).join('\n')),
    );
  },
};

/** A `tasks.events` call that broke (the link, the host), as opposed to a refusal. */
class CallBroken extends Error {}

/** One `tasks.events` page; throws CallBroken when the call broke. */
async function readPage(ctx: CommandContext, id: string, afterSeq: number | undefined): Promise<MethodOutput<'tasks.events'>> {
  const history = await ctx.client.invoke('tasks.events', afterSeq === undefined ? { id } : { id, afterSeq });
  if (!history.ok) throw new CallBroken(history.message);
  return history.value;
}

/** Every event of the task, page by page (a reply holds at most TASK_EVENTS_PAGE_MAX). */
async function readWholeJournal(ctx: CommandContext, id: string): Promise<CallResult<{ ok: true; events: TaskEvent[] } | Failure>> {
  try {
    return { ok: true, value: await readAllTaskEvents((afterSeq) => readPage(ctx, id, afterSeq)) };
  } catch (error) {
    if (error instanceof CallBroken) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * Follows the task as the UI does (shared/contracts/followTaskEvents.ts: watch, then read the
 * history, then live events merged by seq), over this command's one connection: nothing is lost
 * or printed twice around the read, and a drop ends the command.
 */
async function followLog(ctx: CommandContext, taskId: string): Promise<number> {
  const opened = await ctx.client.openEvents();
  if (!opened.ok) return callFailed(ctx, opened.message);
  const stream = opened.value;
  const printer = createLogPrinter({ write: (line) => ctx.io.stdout(line), isJson: ctx.isJson });
  let settle: (outcome: FollowOutcome) => void = () => {};
  const settled = new Promise<FollowOutcome>((resolve) => (settle = resolve));
  const settleIfDone = () => {
    const status = printer.status;
    if (status === null || !isActive(status)) settle({ kind: 'done', status });
  };
  void stream.closed.then((message) => settle({ kind: 'failed', message }));
  const feed: TaskEventFeed = {
    onAppend: (listener) =>
      stream.on((e) => {
        if (e.event === 'tasks.onDidAppendEvent') listener(e.payload.event);
      }),
    watch(id, onWatching) {
      // The CLI has no reconnect: the watch holds until the stream closes, or the command fails.
      void stream.watch([id]).then((watched) => (watched.ok ? onWatching() : settle({ kind: 'failed', message: watched.message })));
      return () => {};
    },
    read: (id, afterSeq) => readPage(ctx, id, afterSeq),
    // A drop closes the stream, which ends the command (above).
    onLinkDown: () => () => {},
    isConnected: () => true,
  };
  const stop = followTaskEvents(feed, taskId, {
    events(batch) {
      printer.print(batch);
      settleIfDone();
    },
    loaded: settleIfDone,
    failed: (message, failure) => settle(failure ? { kind: 'refused', failure } : { kind: 'failed', message }),
  });
  try {
    const outcome = await settled;
    printer.end();
    if (outcome.kind === 'refused') return expectedFailure(ctx, outcome.failure);
    if (outcome.kind === 'failed') return callFailed(ctx, outcome.message);
    return outcome.status === 'failed' ? EXIT_FAILURE : EXIT_OK;
  } finally {
    stop();
    stream.close();
  }
}

type FollowOutcome =
  | { kind: 'done'; status: TaskStatus | null }
  /** The host refused the read (`{ ok: false, kind }`). */
  | { kind: 'refused'; failure: Failure }
  /** A call broke, or the connection ended. */
  | { kind: 'failed'; message: string };
