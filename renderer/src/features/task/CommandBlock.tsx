import { memo } from 'react';
import type { TranscriptItem } from '../../../../shared/model/transcript.js';
import { formatCommandDuration } from '../../../../shared/model/commandDuration.js';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { InertText } from '../../components/InertText.js';
import type { DecisionState } from '../approvals/approvalText.js';
import { CommandOutput } from './CommandOutput.js';
import './commandBlock.css';

type CommandItem = Extract<TranscriptItem, { type: 'command' }>;

function exitBadge(item: CommandItem, approval: DecisionState | undefined): { text: string; tone: string; title?: string } {
  // Journaled before the host asked: until answered, it has not run at all.
  if (approval === 'waiting' && !item.isOutcomeUnknown) {
    return { text: 'waiting for approval', tone: 'attention', title: 'The agent asked to run this command beyond its sandbox; it waits for your answer.' };
  }
  if (approval === 'denied' && !item.isRunning && item.exitCode === null && !item.isKilled) {
    return { text: 'denied · not run', tone: 'muted', title: 'You denied this command: it never ran, and the agent was told.' };
  }
  // Checked first: after a crash the journal has no end for it, and it must never look alive.
  if (item.isOutcomeUnknown) {
    return {
      text: 'outcome unknown',
      tone: 'attention',
      title: 'Flotilla stopped while this command ran: it may or may not have finished. It was not run again.',
    };
  }
  if (item.isRunning) return { text: 'running', tone: 'info' };
  if (item.isKilled) return { text: item.exitCode === null ? 'killed' : `killed (${item.exitCode})`, tone: 'danger' };
  if (item.exitCode === null) return { text: 'cut short', tone: 'attention', title: 'The task stopped before this command reported an exit code.' };
  return item.exitCode === 0 ? { text: 'exit 0', tone: 'success' } : { text: `exit ${item.exitCode}`, tone: 'danger' };
}

export const CommandBlock = memo(function CommandBlock({
  item,
  approval,
  receivedNewlines,
  isVisible,
}: {
  item: CommandItem;
  approval?: DecisionState | undefined;
  /** Newlines the command printed in all (see TranscriptState.receivedNewlines). */
  receivedNewlines: number;
  /** False while the transcript's tab is hidden: the output catches up with its end when shown. */
  isVisible: boolean;
}) {
  const badge = exitBadge(item, approval);
  return (
    <div className={`cmd ${item.isRunning ? 'is-running' : ''}`} role="group" aria-label={`Command: ${visibleText(item.command)}`}>
      <div className="cmd-head">
        <code className="cmd-line">
          <span className="cmd-prompt" aria-hidden="true">
            ${' '}
          </span>
          <InertText text={item.command} />
        </code>
        <span className={`badge tone-${badge.tone}`} title={badge.title}>
          {badge.text}
        </span>
        {item.durationMs !== null && <span className="meta-number">{formatCommandDuration(item.durationMs)}</span>}
      </div>
      {item.output !== '' && <CommandOutput output={item.output} receivedNewlines={receivedNewlines} isVisible={isVisible} />}
    </div>
  );
});
