import type { TerminalLink } from '../../transport/terminalLink.js';
import type { UiClient } from '../../transport/uiClient.js';
import { TerminalSurface } from './TerminalSurface.js';
import './agentTerminal.css';

/**
 * The Agent tab: the task's Agent terminal (every command the agent runs, each under a dim
 * `$ command` header and over a dim exit line), or, before the agent's first command, a word
 * saying so. Typing is for answering a running command's prompt, so the hint says just that.
 */
export function AgentTerminalView({
  client,
  link,
  sessionId,
  isVisible,
  onOpenShell,
}: {
  client: UiClient;
  link: TerminalLink;
  /** null until the agent has run its first command. */
  sessionId: string | null;
  isVisible: boolean;
  /** Offered while the task has no shell yet. */
  onOpenShell: (() => void) | null;
}) {
  if (sessionId === null) {
    return (
      <div className="terminal-empty">
        <p className="muted">No commands yet. When the agent runs one, it shows here as it runs, with its colours and progress bars.</p>
        {onOpenShell && (
          <button type="button" className="btn btn-primary" onClick={onOpenShell}>
            Open a shell in the sandbox
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="agent-terminal">
      {isVisible && <TerminalSurface key={sessionId} client={client} link={link} sessionId={sessionId} label="Agent terminal" />}
      <p className="agent-terminal-hint">Every command the agent runs, live. What you type goes to the command running now, to answer its prompt.</p>
    </div>
  );
}
