import type { TranscriptItem } from '../../shared/model/transcript.js';
import { indentContinuation } from './cliFormat.js';

/**
 * One transcript item as `task log` prints it. Only Flotilla starts a line at column 0: the
 * lines after the first of a message, a reason or an error are indented, a multi-line command
 * (a heredoc) goes on after the shell's `> ` prompt, and output is indented. So nothing the
 * model wrote can print a line that looks like one of ours (`$ rm -rf ~   [exit 0]`).
 */
export function formatItem(item: TranscriptItem): string {
  switch (item.type) {
    case 'user':
      return indentContinuation(`you: ${item.text}`);
    case 'agent':
      return indentContinuation(`agent: ${item.text}`);
    case 'command': {
      const output = commandOutputText(item.output).trimEnd();
      return `${commandLine(item.command)}   [${commandOutcome(item)}]${output ? `\n${indentLines(output)}` : ''}`;
    }
    case 'status':
      return indentContinuation(`-- ${item.text}`);
    case 'checkpoint':
      return `-- checkpoint ${item.commit.slice(0, 10)} (${item.filesChanged} file${item.filesChanged === 1 ? '' : 's'})`;
    case 'error':
      return indentContinuation(`!! ${item.text}`);
    case 'approval': {
      const asked = `?? approval ${item.request.kind === 'escalation' ? 'asked' : 'needed'} for \`${item.request.command}\`${item.request.reason ? ` (${item.request.reason})` : ''}`;
      if (!item.decision) return indentContinuation(`${asked}: waiting for you`);
      const { decision, scope, message } = item.decision;
      const verdict = decision === 'approve' ? (scope === 'task' ? 'approved for this task' : 'approved once') : 'denied';
      return indentContinuation(`${asked}: ${verdict}${message ? ` ("${message}")` : ''}`);
    }
  }
}

/** `$ command`; the lines after the first of a multi-line command (a heredoc) after `> `. */
export function commandLine(command: string): string {
  return `$ ${indentContinuation(command, '> ')}`;
}

/** `running`, `exit 0`, `killed` or `outcome unknown`. */
export function commandOutcome(item: Extract<TranscriptItem, { type: 'command' }>): string {
  if (item.isOutcomeUnknown) return 'outcome unknown';
  if (item.isRunning) return 'running';
  if (item.isKilled) return 'killed';
  return `exit ${item.exitCode ?? '?'}`;
}

/** A command's output with a pty's `\r\n` line ends as `\n`; any other `\r` is left to be shown. */
export function commandOutputText(output: string): string {
  return output.replace(/\r\n/g, '\n');
}

function indentLines(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
