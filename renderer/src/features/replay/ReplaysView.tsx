import { useState } from 'react';
import type { ReplaySummary } from '../../../../shared/contracts/replay.js';
import { useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { InertText } from '../../components/InertText.js';
import { ReplayList } from './ReplayList.js';
import { ReplayPlayer } from './ReplayPlayer.js';
import { useReplayEvents } from './useReplayEvents.js';
import './replay.css';

/**
 * The Replays view (issue 12): the list of recordings, and one of them playing on a read-only
 * copy of the board. Takes the workspace's place while open; the live board keeps running.
 */
export function ReplaysView({ onClose }: { onClose: () => void }) {
  const [open, setOpen] = useState<ReplaySummary | null>(null);
  const client = useClient();
  return (
    <section className="replays" role="region" aria-label="Replays">
      <header className="replay-head">
        {open === null ? (
          <>
            <h2 className="replay-title">Replays</h2>
            <span className="replay-spacer" />
            <button type="button" className="btn" onClick={onClose}>
              Back to board
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn btn-quiet" onClick={() => setOpen(null)}>
              ← Recordings
            </button>
            <h2 className="replay-title truncate">
              <InertText text={open.title} />
            </h2>
            <span className="badge tone-info" title="Nothing in a replay acts on your repos or tasks">
              Read-only replay
            </span>
            <span className="replay-spacer" />
            <button type="button" className="btn" onClick={onClose}>
              Back to board
            </button>
          </>
        )}
      </header>
      {open === null ? <ReplayList client={client} onOpen={setOpen} /> : <LoadedReplay key={open.id} id={open.id} />}
    </section>
  );
}

function LoadedReplay({ id }: { id: string }) {
  const load = useReplayEvents(useClient(), id);
  if (load.status === 'failed') return <FormError message={`Could not open this recording: ${load.message}`} />;
  if (load.status === 'loading') return <p className="muted replay-note">Loading events… {load.loaded > 0 ? load.loaded : ''}</p>;
  return <ReplayPlayer events={load.events} />;
}
