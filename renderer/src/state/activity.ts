import type { TaskEventBody } from '../../../shared/model/taskEvents.js';

/** The one line a running card shows about what its agent is doing now. */
export interface ActivityLine {
  kind: 'command' | 'message';
  text: string;
}

/** 160 chars: a card is ~250 px wide; the rest would only be cut by the ellipsis anyway. */
const MAX_LINE_CHARS = 160;

/**
 * The activity line an event gives, or null when the event says nothing new about it.
 * Command output never counts: it is the noisiest event there is and says less than the
 * command that produced it.
 */
export function activityOf(body: TaskEventBody): ActivityLine | null {
  switch (body.kind) {
    case 'command_started': {
      const line = firstLine(body.command);
      return line === null ? null : { kind: 'command', text: `$ ${line}` };
    }
    case 'agent_message': {
      const line = firstLine(body.text);
      return line === null ? null : { kind: 'message', text: line };
    }
    default:
      return null;
  }
}

/** First non-blank line, trimmed and capped; null when there is none. */
export function firstLine(text: string): string | null {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line !== '') return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;
  }
  return null;
}
