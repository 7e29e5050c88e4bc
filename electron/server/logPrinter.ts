import type { TaskEvent } from '../../shared/model/taskEvents.js';
import type { TaskStatus } from '../../shared/model/taskLifecycle.js';
import { applyTranscriptEvent, type TranscriptItem } from '../../shared/model/transcript.js';
import { commandLine, commandOutcome, formatItem } from './transcriptText.js';

/**
 * `task log --follow`: prints a task's journal as it grows, like `tail -f`. History and live
 * events may overlap (the history is read after watching starts): each seq is printed once, in
 * order. A command prints as it runs: `$ command`, its output lines indented as they complete,
 * then `[exit 0]` at column 0. With `isJson`, one event per line (JSON Lines). As in `task log`, only
 * Flotilla starts a line at column 0 (see transcriptText.ts); the CLI's sink makes it inert.
 */
export interface LogPrinter {
  /** Prints the events not printed yet, in seq order. */
  print(events: readonly TaskEvent[]): void;
  /** Prints the unfinished last line of any command's output. */
  end(): void;
  /** The task's status after the events printed; null before its `task_created`. */
  readonly status: TaskStatus | null;
}

export function createLogPrinter(opts: { write: (line: string) => void; isJson: boolean }): LogPrinter {
  const { write } = opts;
  let lastSeq = -1;
  let status: TaskStatus | null = null;
  let items: TranscriptItem[] = [];
  /** Output after the last newline, per command: printed when the line completes or the command ends. */
  const partial = new Map<string, string>();

  const flushPartial = (callId: string) => {
    const rest = partial.get(callId);
    partial.delete(callId);
    if (rest !== undefined && rest !== '') write(`  ${rest}`);
  };

  const printText = (event: TaskEvent, before: readonly TranscriptItem[]) => {
    const body = event.body;
    switch (body.kind) {
      case 'command_started':
        write(commandLine(body.command));
        return;
      case 'command_output': {
        const lines = `${partial.get(body.callId) ?? ''}${body.chunk}`.split('\n');
        partial.set(body.callId, lines.pop() ?? '');
        for (const line of lines) write(`  ${line.replace(/\r$/, '')}`);
        return;
      }
      case 'command_finished':
      case 'command_outcome_unknown': {
        flushPartial(body.callId);
        const command = lastItem(items, (i) => i.type === 'command' && i.callId === body.callId);
        // At column 0, where output (always indented) can never print: a command's own output
        // cannot fake its end.
        if (command?.type === 'command') write(`[${commandOutcome(command)}]`);
        return;
      }
      case 'approval_decided': {
        const approval = lastItem(items, (i) => i.type === 'approval' && i.request.requestId === body.requestId);
        if (approval) write(formatItem(approval));
        return;
      }
      default: {
        // Everything else adds one item to the transcript: print it as `task log` does.
        if (body.kind === 'status_changed') for (const callId of [...partial.keys()]) flushPartial(callId);
        const added = items.length > before.length ? items[items.length - 1] : undefined;
        if (added) write(formatItem(added));
      }
    }
  };

  return {
    print(events) {
      const fresh = events.filter((e) => e.seq > lastSeq).sort((a, b) => a.seq - b.seq);
      for (const event of fresh) {
        if (event.seq <= lastSeq) continue; // the same event twice in one batch
        lastSeq = event.seq;
        if (event.body.kind === 'task_created') status = event.body.task.status;
        if (event.body.kind === 'status_changed') status = event.body.to;
        const before = items;
        items = applyTranscriptEvent(items, event);
        if (opts.isJson) write(JSON.stringify(event));
        else printText(event, before);
      }
    },
    end() {
      for (const callId of [...partial.keys()]) flushPartial(callId);
    },
    get status() {
      return status;
    },
  };
}

function lastItem(items: readonly TranscriptItem[], predicate: (item: TranscriptItem) => boolean): TranscriptItem | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item && predicate(item)) return item;
  }
  return undefined;
}
