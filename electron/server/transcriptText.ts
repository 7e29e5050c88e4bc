import type { TranscriptItem } from '../../shared/model/transcript.js';

/** One transcript item as `task log` prints it. */
export function formatItem(item: TranscriptItem): string {
  switch (item.type) {
    case 'user':
      return `you: ${item.text}`;
    case 'agent':
      return `agent: ${item.text}`;
    case 'command': {
      const output = item.output.trimEnd();
      return `$ ${item.command}   [${commandOutcome(item)}]${output ? `\n${indent(output)}` : ''}`;
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

/** `running`, `exit 0`, `killed` or `outcome unknown`. */
export function commandOutcome(item: Extract<TranscriptItem, { type: 'command' }>): string {
  if (item.isOutcomeUnknown) return 'outcome unknown';
  if (item.isRunning) return 'running';
  if (item.isKilled) return 'killed';
  return `exit ${item.exitCode ?? '?'}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
