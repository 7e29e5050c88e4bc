import { useEffect, useState } from 'react';
import type { ReplaySource, ReplaySummary } from '../../../../shared/contracts/replay.js';
import { FormError } from '../../components/FormError.js';
import { InertText } from '../../components/InertText.js';
import { errorMessage } from '../../state/startSync.js';
import type { UiClient } from '../../transport/uiClient.js';
import { formatFilmTime, formatStartedAt } from './replayTime.js';

const SOURCE_NAMES: Record<ReplaySource, string> = {
  local: 'This machine',
  flotilla: 'Imported',
  codex: 'Codex CLI',
  claude: 'Claude Code',
  asciicast: 'asciicast',
};

type ListLoad = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; replays: readonly ReplaySummary[] };

/** The recordings to choose from: this machine's sessions, then imported files (replay.list). */
export function ReplayList({ client, onOpen }: { client: UiClient; onOpen: (replay: ReplaySummary) => void }) {
  const [load, setLoad] = useState<ListLoad>({ status: 'loading' });
  useEffect(() => {
    let isCurrent = true;
    client.invoke('replay.list', {}).then(
      ({ replays }) => isCurrent && setLoad({ status: 'ready', replays }),
      (error: unknown) => isCurrent && setLoad({ status: 'failed', message: errorMessage(error) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [client]);

  if (load.status === 'loading') return <p className="muted replay-note">Loading recordings…</p>;
  if (load.status === 'failed') return <FormError message={`Could not list recordings: ${load.message}`} />;
  if (load.replays.length === 0) {
    return (
      <p className="muted replay-note">
        No recordings yet. Every task you run is recorded; imported files (flotilla replay import FILE) show here too.
      </p>
    );
  }
  return (
    <div className="replay-list-page">
      <p className="muted replay-intro">
        Sessions recorded on this machine (split where nothing happened for an hour), then imported files. Open one to watch it on
        the board; a replay changes nothing.
      </p>
      <ul className="replay-list" aria-label="Recordings">
        {load.replays.map((replay) => (
          <li key={replay.id} className="replay-row">
            <button type="button" className="replay-open" onClick={() => onOpen(replay)}>
              <span className="replay-row-title truncate">
                <InertText text={replay.title} />
              </span>
              <span className="replay-row-meta">
                <span className="badge tone-neutral">{SOURCE_NAMES[replay.source]}</span>
                <span className="meta-number">{replay.startedAt === null ? '—' : formatStartedAt(replay.startedAt)}</span>
                <span className="meta-number">
                  {replay.startedAt !== null && replay.endedAt !== null ? formatFilmTime(replay.endedAt - replay.startedAt) : '0:00'}
                </span>
                <span className="meta-number">{replay.tasks === 1 ? '1 task' : `${replay.tasks} tasks`}</span>
                <span className="meta-number">{replay.events} events</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
