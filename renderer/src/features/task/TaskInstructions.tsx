import { useEffect, useState } from 'react';
import type { InstructionSourceView } from '../../../../shared/contracts/agent.js';
import { useClient } from '../../appContext.js';
import { InertText } from '../../components/InertText.js';
import './taskInstructions.css';

type Loaded = { status: 'closed' } | { status: 'loading' } | { status: 'ready'; sources: InstructionSourceView[] } | { status: 'error'; message: string };

/**
 * "Instructions in effect": the AGENTS.md files the task's next turn gets (global first, then
 * the repository's), read when opened. The repository's files are the agent's to write: shown
 * inert, as everything it wrote.
 */
export function TaskInstructions({ taskId }: { taskId: string }) {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'closed' });
  useEffect(() => {
    if (loaded.status !== 'loading') return;
    let isCurrent = true;
    client.invoke('tasks.instructions', { id: taskId }).then(
      (reply) => isCurrent && setLoaded(reply.ok ? { status: 'ready', sources: reply.sources } : { status: 'error', message: reply.message }),
      (error: unknown) => isCurrent && setLoaded({ status: 'error', message: String(error) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, taskId, loaded.status]);
  return (
    <details
      className="task-instructions"
      onToggle={(event) => {
        // React passes the inner files' toggles up too: only this one's own opening reads again.
        if (event.target === event.currentTarget && event.currentTarget.open) setLoaded({ status: 'loading' });
      }}
    >
      <summary>Instructions in effect</summary>
      {loaded.status === 'loading' && <p className="muted">Reading…</p>}
      {loaded.status === 'error' && <p className="muted">{loaded.message}</p>}
      {loaded.status === 'ready' && loaded.sources.length === 0 && (
        <p className="muted">Only Flotilla’s own: no FLOTILLA_HOME/AGENTS.md, and no AGENTS.md in the repository.</p>
      )}
      {loaded.status === 'ready' && loaded.sources.length > 0 && (
        <ol className="task-instructions-list">
          {loaded.sources.map((source) => (
            <li key={`${source.scope}:${source.path}`}>
              <details>
                <summary>
                  <span className="mono">
                    <InertText text={source.path} />
                  </span>{' '}
                  <span className="muted">
                    {source.scope === 'global' ? 'global' : 'repository'} · {source.bytes} bytes{source.isTruncated ? ' · cut at the 32 KiB cap' : ''}
                  </span>
                </summary>
                <pre className="task-instructions-text">
                  <InertText text={source.text} />
                </pre>
              </details>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
