import { useCallback, useEffect, useState } from 'react';
import type { ShellKind, TerminalInfo } from '../../../../shared/contracts/terminal.js';
import { useClient } from '../../appContext.js';
import { DialogActions } from '../../components/DialogActions.js';
import { FormError } from '../../components/FormError.js';
import { Modal } from '../../components/Modal.js';
import { AgentTerminalView } from './AgentTerminalView.js';
import { exitText } from './exitText.js';
import { TerminalSurface } from './TerminalSurface.js';
import './terminal.css';

/** The Agent tab's key in the selection (shells are selected by session id). */
const AGENT_TAB = 'agent';

/** Before the first fit: the host needs a size, the panel corrects it right after attach. */
const INITIAL_COLS = 80;
const INITIAL_ROWS = 24;

interface Exit {
  exitCode: number | null;
  reason: string | null;
}

/**
 * The task's terminals: first the Agent tab (every command the agent runs, live), then a tab per
 * interactive shell, "+" for a sandboxed shell, and an explicit, confirmed "unsandboxed" shell
 * marked in red. Only the selected terminal of a visible panel has an xterm; the others cost the
 * host nothing but parsing.
 */
export function TerminalPanel({ taskId, isVisible }: { taskId: string; isVisible: boolean }) {
  const client = useClient();
  const link = client.terminals;
  const [terminals, setTerminals] = useState<TerminalInfo[]>([]);
  const [exits, setExits] = useState<Record<string, Exit>>({});
  /** The chosen tab (AGENT_TAB or a shell's session id); null: the default (see `activeId` below). */
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isConfirmingUnsandboxed, setIsConfirmingUnsandboxed] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const reply = await client.invoke('terminal.list', { taskId });
      if (!reply.ok) return setError(reply.message);
      setTerminals(reply.terminals);
      setChosenId((current) => {
        if (current === AGENT_TAB || reply.terminals.some((t) => t.sessionId === current)) return current;
        // Showing a shell by default: keep showing it when the Agent terminal appears meanwhile.
        const hasAgent = reply.terminals.some((t) => t.kind === 'agent');
        return hasAgent ? null : (reply.terminals[0]?.sessionId ?? null);
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [client, taskId]);

  useEffect(() => {
    if (isVisible) void refresh();
  }, [isVisible, refresh]);

  // The Agent terminal appears with the agent's first command, and is busy while one runs.
  useEffect(() => {
    if (!isVisible) return;
    return client.on('tasks.onDidAppendEvent', ({ event }) => {
      if (event.taskId !== taskId) return;
      if (event.body.kind === 'command_started' || event.body.kind === 'command_finished') void refresh();
    });
  }, [client, isVisible, refresh, taskId]);

  useEffect(
    () =>
      client.on('terminal.onDidExit', ({ sessionId, exitCode, reason }) => {
        setExits((current) => ({ ...current, [sessionId]: { exitCode, reason } }));
      }),
    [client],
  );

  async function open(kind: ShellKind, replacing?: string): Promise<void> {
    setIsBusy(true);
    setError(null);
    try {
      if (replacing) await client.invoke('terminal.close', { sessionId: replacing });
      const reply = await client.invoke('terminal.open', { taskId, kind, cols: INITIAL_COLS, rows: INITIAL_ROWS });
      if (!reply.ok) {
        setError(reply.message);
        return;
      }
      setChosenId(reply.sessionId);
      await refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setIsBusy(false);
    }
  }

  async function close(sessionId: string): Promise<void> {
    try {
      const reply = await client.invoke('terminal.close', { sessionId });
      if (!reply.ok) setError(reply.message);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    await refresh();
  }

  if (!link) return <p className="muted terminal-empty">Terminals are not available in this window.</p>;

  const agent = terminals.find((t) => t.kind === 'agent') ?? null;
  const shells = terminals.filter((t) => t.kind !== 'agent');
  // By default the Agent tab once it has something to show, else the first shell.
  const activeId = chosenId ?? (agent ? AGENT_TAB : (shells[0]?.sessionId ?? AGENT_TAB));
  const active = activeId === AGENT_TAB ? null : (shells.find((t) => t.sessionId === activeId) ?? null);
  const activeExit = active ? (exits[active.sessionId] ?? (active.isRunning ? null : { exitCode: active.exitCode, reason: null })) : null;
  const labelOf = (t: TerminalInfo) => `Shell ${shells.indexOf(t) + 1}${t.kind === 'unsandboxed' ? ' (unsandboxed)' : ''}`;
  const isAgentActive = activeId === AGENT_TAB;

  return (
    <div className="terminal-panel">
      <div className="terminal-bar">
        <div className="terminal-tabs" role="tablist" aria-label="Terminals">
          <span className="terminal-tab" data-active={isAgentActive}>
            <button
              type="button"
              role="tab"
              aria-selected={isAgentActive}
              className="terminal-tab-select"
              title="Every command the agent runs, live"
              onClick={() => setChosenId(AGENT_TAB)}
            >
              Agent
              {agent?.isRunning && (
                <span className="terminal-agent-busy" title="A command is running">
                  <span className="visually-hidden"> (a command is running)</span>
                </span>
              )}
            </button>
          </span>
          {shells.map((t, i) => {
            const isActive = t.sessionId === activeId;
            return (
              <span key={t.sessionId} className="terminal-tab" data-active={isActive}>
                <button type="button" role="tab" aria-selected={isActive} className="terminal-tab-select" onClick={() => setChosenId(t.sessionId)}>
                  {`Shell ${i + 1}`}
                  {t.kind === 'unsandboxed' && <span className="terminal-unsandboxed">unsandboxed</span>}
                  {(exits[t.sessionId] || !t.isRunning) && <span className="muted"> (exited)</span>}
                </button>
                <button type="button" className="terminal-tab-close" aria-label={`Close ${labelOf(t)}`} title="Close (kills its processes)" onClick={() => void close(t.sessionId)}>
                  ×
                </button>
              </span>
            );
          })}
          <button type="button" className="terminal-new" aria-label="New sandboxed shell" title="New shell in the task's sandbox" disabled={isBusy} onClick={() => void open('sandboxed')}>
            +
          </button>
        </div>
        <button type="button" className="btn btn-danger-quiet terminal-open-unsandboxed" disabled={isBusy} onClick={() => setIsConfirmingUnsandboxed(true)}>
          Open unsandboxed shell…
        </button>
      </div>
      <FormError message={error} />
      {isAgentActive && (
        <AgentTerminalView
          client={client}
          link={link}
          sessionId={agent?.sessionId ?? null}
          isVisible={isVisible}
          onOpenShell={shells.length === 0 && !isBusy ? () => void open('sandboxed') : null}
        />
      )}
      {active && isVisible && <TerminalSurface key={active.sessionId} client={client} link={link} sessionId={active.sessionId} label={labelOf(active)} />}
      {active && activeExit && (
        <div className="terminal-exit" role="status">
          <span className="mono">{exitText(activeExit.exitCode, activeExit.reason)}</span>
          <button type="button" className="btn" disabled={isBusy} onClick={() => void open(active.kind === 'unsandboxed' ? 'unsandboxed' : 'sandboxed', active.sessionId)}>
            Restart
          </button>
        </div>
      )}
      {isConfirmingUnsandboxed && (
        <Modal title="Open an unsandboxed shell?" onClose={() => setIsConfirmingUnsandboxed(false)}>
          <p className="modal-text">
            This shell runs in the task's worktree <strong>without the sandbox</strong>: whatever runs in it can read and change
            everything your user can, and reach the network. Use it for your own commands only.
          </p>
          <DialogActions
            onCancel={() => setIsConfirmingUnsandboxed(false)}
            action={{
              label: 'Open unsandboxed shell',
              tone: 'danger',
              onClick: () => {
                setIsConfirmingUnsandboxed(false);
                void open('unsandboxed');
              },
            }}
          />
        </Modal>
      )}
    </div>
  );
}
