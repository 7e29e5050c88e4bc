import { useCallback, useEffect, useState } from 'react';
import type { TerminalInfo, TerminalKind } from '../../../../shared/contracts/terminal.js';
import { useClient } from '../../appContext.js';
import { Modal } from '../../components/Modal.js';
import { exitText } from './exitText.js';
import { TerminalSurface } from './TerminalSurface.js';
import './terminal.css';

/** Before the first fit: the host needs a size, the panel corrects it right after attach. */
const INITIAL_COLS = 80;
const INITIAL_ROWS = 24;

interface Exit {
  exitCode: number | null;
  reason: string | null;
}

/**
 * The task's interactive terminals: a tab per session, "+" for a sandboxed shell, and an
 * explicit, confirmed "unsandboxed" shell marked in red. Only the selected terminal of a
 * visible panel has an xterm; the others cost the host nothing but parsing.
 */
export function TerminalPanel({ taskId, isVisible }: { taskId: string; isVisible: boolean }) {
  const client = useClient();
  const link = client.terminals;
  const [terminals, setTerminals] = useState<TerminalInfo[]>([]);
  const [exits, setExits] = useState<Record<string, Exit>>({});
  const [activeId, setActiveId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isConfirmingUnsandboxed, setIsConfirmingUnsandboxed] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const reply = await client.invoke('terminal.list', { taskId });
      if (!reply.ok) return setError(reply.message);
      setTerminals(reply.terminals);
      setActiveId((current) => (current !== null && reply.terminals.some((t) => t.sessionId === current) ? current : (reply.terminals[0]?.sessionId ?? null)));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [client, taskId]);

  useEffect(() => {
    if (isVisible) void refresh();
  }, [isVisible, refresh]);

  useEffect(
    () =>
      client.on('terminal.onDidExit', ({ sessionId, exitCode, reason }) => {
        setExits((current) => ({ ...current, [sessionId]: { exitCode, reason } }));
      }),
    [client],
  );

  async function open(kind: TerminalKind, replacing?: string): Promise<void> {
    setIsBusy(true);
    setError(null);
    try {
      if (replacing) await client.invoke('terminal.close', { sessionId: replacing });
      const reply = await client.invoke('terminal.open', { taskId, kind, cols: INITIAL_COLS, rows: INITIAL_ROWS });
      if (!reply.ok) {
        setError(reply.message);
        return;
      }
      setActiveId(reply.sessionId);
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

  const active = terminals.find((t) => t.sessionId === activeId) ?? null;
  const activeExit = active ? (exits[active.sessionId] ?? (active.isRunning ? null : { exitCode: active.exitCode, reason: null })) : null;
  const labelOf = (t: TerminalInfo) => `Terminal ${terminals.indexOf(t) + 1}${t.kind === 'unsandboxed' ? ' (unsandboxed)' : ''}`;

  return (
    <div className="terminal-panel">
      <div className="terminal-bar">
        <div className="terminal-tabs" role="tablist" aria-label="Terminals">
          {terminals.map((t, i) => {
            const isActive = t.sessionId === activeId;
            return (
              <span key={t.sessionId} className="terminal-tab" data-active={isActive}>
                <button type="button" role="tab" aria-selected={isActive} className="terminal-tab-select" onClick={() => setActiveId(t.sessionId)}>
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
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {terminals.length === 0 && (
        <div className="terminal-empty">
          <p className="muted">No terminals for this task yet.</p>
          <button type="button" className="btn btn-primary" disabled={isBusy} onClick={() => void open('sandboxed')}>
            Open a shell in the sandbox
          </button>
        </div>
      )}
      {active && isVisible && <TerminalSurface key={active.sessionId} client={client} link={link} sessionId={active.sessionId} label={labelOf(active)} />}
      {active && activeExit && (
        <div className="terminal-exit" role="status">
          <span className="mono">{exitText(activeExit.exitCode, activeExit.reason)}</span>
          <button type="button" className="btn" disabled={isBusy} onClick={() => void open(active.kind, active.sessionId)}>
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
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setIsConfirmingUnsandboxed(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => {
                setIsConfirmingUnsandboxed(false);
                void open('unsandboxed');
              }}
            >
              Open unsandboxed shell
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
