import { memo, useEffect, useMemo } from 'react';
import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import { AppProvider, useAppStore } from '../../appContext.js';
import { createAppStore, type AppState, type AppStore } from '../../state/appStore.js';
import { selectSelectedTask } from '../../state/selectors.js';
import type { UiClient } from '../../transport/uiClient.js';
import { Board } from '../board/Board.js';
import { createReadOnlyClient } from './readOnlyClient.js';
import { createReplayActivity, type ReplayActivity } from './replayActivity.js';
import { ReplayControls } from './ReplayControls.js';
import { ReplayPlayback } from './replayPlayback.js';
import { ReplayTaskPanel } from './ReplayTaskPanel.js';
import { ReplayTimeline } from './ReplayTimeline.js';
import { MARKER_KINDS, timelineMarkersOf } from './timelineMarkers.js';
import { usePlayback, useSpaceToPlay } from './usePlayback.js';

/**
 * One recording playing: the controls and timeline, and the app's own Board (the same
 * components as live) under a second AppProvider whose store is a replay store
 * (createAppStore({ mode: 'replay' }): tasks change only by replayed events), whose client
 * refuses every call (readOnlyClient.ts) and whose activity lines come from the replay.
 */
export function ReplayPlayer({ events }: { events: readonly TaskEvent[] }) {
  const replay = useMemo(() => {
    const store = createAppStore({ mode: 'replay' });
    const activity = createReplayActivity();
    return { store, activity, client: createReadOnlyClient(), playback: new ReplayPlayback(events, store, activity) };
  }, [events]);
  const markers = useMemo(() => timelineMarkersOf(events), [events]);
  const markerKinds = useMemo(() => MARKER_KINDS.filter((kind) => markers.some((m) => m.kind === kind)), [markers]);
  const state = usePlayback(replay.playback);
  useSpaceToPlay(replay.playback);
  useEffect(() => () => replay.playback.pause(), [replay]);
  return (
    <>
      <ReplayControls playback={replay.playback} state={state} markerKinds={markerKinds} />
      <ReplayTimeline playback={replay.playback} state={state} markers={markers} />
      <ReplayBoard replay={replay} events={events} />
    </>
  );
}

interface ReplayDeps {
  store: AppStore;
  activity: ReplayActivity;
  client: UiClient;
}

/**
 * The board under the replay's own AppProvider. Memoized: the controls re-render every frame
 * while playing, the board only when the replay store changes (its components subscribe to it).
 */
const ReplayBoard = memo(function ReplayBoard({ replay, events }: { replay: ReplayDeps; events: readonly TaskEvent[] }) {
  return (
    <AppProvider store={replay.store} client={replay.client} activity={replay.activity}>
      <div className="replay-stage">
        <Board />
        <ReplayTaskBeside events={events} />
      </div>
    </AppProvider>
  );
});

const selectPlayedSeq = (state: AppState): number => (state.replay.mode === 'replay' ? state.replay.lastSeq : 0);

/** The selected card's task, read from the replay store (a card's click selects it there). */
function ReplayTaskBeside({ events }: { events: readonly TaskEvent[] }) {
  const task = useAppStore(selectSelectedTask);
  const lastSeq = useAppStore(selectPlayedSeq);
  if (!task) return null;
  return <ReplayTaskPanel key={task.id} task={task} events={events} lastSeq={lastSeq} />;
}
