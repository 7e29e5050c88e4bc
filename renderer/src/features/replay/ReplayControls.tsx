import { useEffect, useId, useRef } from 'react';
import { SPEEDS, type PlaybackState, type ReplayPlayback, type Speed } from './replayPlayback.js';
import { formatClockTime, formatFilmTime } from './replayTime.js';
import { wallTimeAt } from './filmClock.js';
import { MARKER_NAMES, type MarkerKind } from './timelineMarkers.js';

/**
 * Play/pause, the time shown, what the markers mean, speed and "skip idle gaps". Play takes the
 * focus when a recording opens: the list's button that opened it is gone, and Space is next.
 */
export function ReplayControls({
  playback,
  state,
  markerKinds,
}: {
  playback: ReplayPlayback;
  state: PlaybackState;
  /** The kinds of marker this recording has, for the legend. */
  markerKinds: readonly MarkerKind[];
}) {
  const speedId = useId();
  const playRef = useRef<HTMLButtonElement>(null);
  useEffect(() => playRef.current?.focus(), []);
  const wall = wallTimeAt(state.clock, state.position);
  return (
    <div className="replay-controls" role="group" aria-label="Playback">
      <button
        ref={playRef}
        type="button"
        className="btn btn-primary replay-play"
        aria-keyshortcuts="Space"
        title={state.isPlaying ? 'Pause (Space)' : 'Play (Space)'}
        onClick={() => playback.toggle()}
      >
        <span aria-hidden="true" className={`replay-play-icon ${state.isPlaying ? 'is-pause' : 'is-play'}`} />
        {state.isPlaying ? 'Pause' : 'Play'}
      </button>
      <span className="replay-time" role="timer" aria-live="off" aria-label="Replay time">
        <span className="replay-clock meta-number">{wall === null ? '—' : formatClockTime(wall)}</span>
        <span className="replay-film meta-number">
          {formatFilmTime(state.position)} / {formatFilmTime(state.clock.duration)}
        </span>
      </span>
      <span className="replay-spacer" />
      {markerKinds.length > 0 && (
        <ul className="replay-legend" aria-label="Marker kinds">
          {markerKinds.map((kind) => (
            <li key={kind}>
              <span className={`replay-marker-key marker-${kind}`} aria-hidden="true" />
              {MARKER_NAMES[kind]}
            </li>
          ))}
        </ul>
      )}
      <label className="replay-field" htmlFor={speedId}>
        Speed
        <select
          id={speedId}
          className="replay-speed"
          value={state.speed}
          onChange={(e) => playback.setSpeed(Number(e.target.value) as Speed)}
        >
          {SPEEDS.map((speed) => (
            <option key={speed} value={speed}>
              {speed}×
            </option>
          ))}
        </select>
      </label>
      <label className="replay-field" title="Pauses longer than 3 seconds play in 1 second">
        <input type="checkbox" checked={state.skipIdle} onChange={(e) => playback.setSkipIdle(e.target.checked)} />
        Skip idle gaps
      </label>
    </div>
  );
}
