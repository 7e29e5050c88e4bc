import { foldTranscript, type TranscriptItem } from '../../shared/model/transcript.js';
import { arg, callFailed, expectedFailure, printed, type ClientCommand } from './clientCommands.js';

/** `flotilla task log ID`: the task's transcript as text (or its journal events with --json). */
export const taskLogCommand: ClientCommand = {
  name: 'task log',
  usage: 'task log ID',
  options: {},
  positionals: ['ID'],
  async run(ctx) {
    const reply = await ctx.client.invoke('tasks.events', { id: arg(ctx, 0) });
    if (!reply.ok) return callFailed(ctx, reply.message);
    if (!reply.value.ok) return expectedFailure(ctx, reply.value);
    const { events } = reply.value;
    return printed(ctx, events, foldTranscript(events).map(formatItem).join('\n'));
  },
};

function formatItem(item: TranscriptItem): string {
  switch (item.type) {
    case 'user':
      return `you: ${item.text}`;
    case 'agent':
      return `agent: ${item.text}`;
    case 'command': {
      const outcome = item.isOutcomeUnknown
        ? 'outcome unknown'
        : item.isRunning
          ? 'running'
          : item.isKilled
            ? 'killed'
            : `exit ${item.exitCode ?? '?'}`;
      const output = item.output.trimEnd();
      return `$ ${item.command}   [${outcome}]${output ? `\n${indent(output)}` : ''}`;
    }
    case 'status':
      return `-- ${item.text}`;
    case 'checkpoint':
      return `-- checkpoint ${item.commit.slice(0, 10)} (${item.filesChanged} file${item.filesChanged === 1 ? '' : 's'})`;
    case 'error':
      return `!! ${item.text}`;
    case 'approval': {
      const asked = `?? approval ${item.request.kind === 'escalation' ? 'asked' : 'needed'} for \`${item.request.command}\`${item.request.reason ? ` (${item.request.reason})` : ''}`;
      if (!item.decision) return `${asked}: waiting for you`;
      const { decision, scope, message } = item.decision;
      const verdict = decision === 'approve' ? (scope === 'task' ? 'approved for this task' : 'approved once') : 'denied';
      return `${asked}: ${verdict}${message ? ` ("${message}")` : ''}`;
    }
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
