import type { TaskEvent } from '../../shared/model/taskEvents.js';
import { isActive, type TaskStatus } from '../../shared/model/taskLifecycle.js';
import { foldTranscript } from '../../shared/model/transcript.js';
import { EXIT_FAILURE, EXIT_OK } from './cliIo.js';
import { arg, callFailed, expectedFailure, printed, type ClientCommand, type CommandContext } from './clientCommands.js';
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
    const reply = await ctx.client.invoke('tasks.events', { id: arg(ctx, 0) });
    if (!reply.ok) return callFailed(ctx, reply.message);
    if (!reply.value.ok) return expectedFailure(ctx, reply.value);
    const { events } = reply.value;
    return printed(ctx, events, foldTranscript(events).map(formatItem).join('\n'));
  },
};

/**
 * Watch first, then read the history: output appended in between comes live and the printer
 * drops what the history already had (by seq), so nothing is lost or printed twice.
 */
async function followLog(ctx: CommandContext, taskId: string): Promise<number> {
  const opened = await ctx.client.openEvents();
  if (!opened.ok) return callFailed(ctx, opened.message);
  const stream = opened.value;
  const printer = createLogPrinter({ write: (line) => ctx.io.stdout(line), isJson: ctx.isJson });
  /** Live events that came before the history was printed; null once it was. */
  let early: TaskEvent[] | null = [];
  let settle: (result: CallResult<TaskStatus | null>) => void = () => {};
  const settled = new Promise<CallResult<TaskStatus | null>>((resolve) => (settle = resolve));
  const settleIfDone = () => {
    const status = printer.status;
    if (status === null || !isActive(status)) settle({ ok: true, value: status });
  };
  const off = stream.on((e) => {
    if (e.event !== 'tasks.onDidAppendEvent' || e.payload.event.taskId !== taskId) return;
    if (early) {
      early.push(e.payload.event);
      return;
    }
    printer.print([e.payload.event]);
    settleIfDone();
  });
  void stream.closed.then((reason) => settle({ ok: false, message: reason }));
  try {
    const watched = await stream.watch([taskId]);
    if (!watched.ok) return callFailed(ctx, watched.message);
    const history = await ctx.client.invoke('tasks.events', { id: taskId });
    if (!history.ok) return callFailed(ctx, history.message);
    if (!history.value.ok) return expectedFailure(ctx, history.value);
    printer.print([...history.value.events, ...early]);
    early = null;
    settleIfDone();
    const result = await settled;
    printer.end();
    if (!result.ok) return callFailed(ctx, result.message);
    return result.value === 'failed' ? EXIT_FAILURE : EXIT_OK;
  } finally {
    off();
    stream.close();
  }
}
