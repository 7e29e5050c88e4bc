import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { filmTimeOf, wallTimeAt } from './filmClock.js';
import type { PlaybackState, ReplayPlayback } from './replayPlayback.js';
import { formatClockTime, formatFilmTime } from './replayTime.js';
import type { TimelineMarker } from './timelineMarkers.js';

/** Arrow keys move 5 s of film time, Page Up/Down 30 s: small and large steps as a slider's. */
const STEP_MS = 5_000;
const PAGE_MS = 30_000;

/**
 * The recording's length as a track: click or drag to seek, or use it as a slider from the
 * keyboard. Above it, the markers (a toolbar: one Tab stop, arrows between markers, Enter jumps).
 */
export function ReplayTimeline({
  playback,
  state,
  markers,
}: {
  playback: ReplayPlayback;
  state: PlaybackState;
  markers: readonly TimelineMarker[];
}) {
  const trackRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const markerRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const { clock, position } = state;
  const fraction = (ms: number) => (clock.duration > 0 ? Math.min(1, ms / clock.duration) : 0);
  const wall = wallTimeAt(clock, position);

  function seekToPointer(event: PointerEvent<HTMLDivElement>) {
    const box = trackRef.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    playback.seek(((event.clientX - box.left) / box.width) * clock.duration);
  }

  function onSliderKey(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = {
      ArrowLeft: position - STEP_MS,
      ArrowDown: position - STEP_MS,
      ArrowRight: position + STEP_MS,
      ArrowUp: position + STEP_MS,
      PageDown: position - PAGE_MS,
      PageUp: position + PAGE_MS,
      Home: 0,
      End: clock.duration,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    playback.seek(to);
  }

  function onMarkerKey(event: KeyboardEvent<HTMLDivElement>) {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const jump = event.key === 'Home' ? 0 : event.key === 'End' ? markers.length - 1 : null;
    if (step === 0 && jump === null) return;
    event.preventDefault();
    const next = jump ?? Math.max(0, Math.min(markers.length - 1, focusIndex + step));
    setFocusIndex(next);
    markerRefs.current[next]?.focus();
  }

  return (
    <div className="replay-timeline">
      {markers.length > 0 && (
        <div className="replay-markers" role="toolbar" aria-label="Markers" onKeyDown={onMarkerKey}>
          {markers.map((marker, i) => {
            const at = filmTimeOf(clock, marker.index);
            const name = `${marker.label} at ${formatClockTime(marker.at)}`;
            return (
              <button
                key={marker.seq}
                ref={(el) => {
                  markerRefs.current[i] = el;
                }}
                type="button"
                className={`replay-marker marker-${marker.kind}`}
                style={{ left: `${fraction(at) * 100}%` }}
                tabIndex={i === Math.min(focusIndex, markers.length - 1) ? 0 : -1}
                aria-label={name}
                title={name}
                data-marker={marker.kind}
                onFocus={() => setFocusIndex(i)}
                onClick={() => playback.seekToEvent(marker.index)}
              />
            );
          })}
        </div>
      )}
      <div
        ref={trackRef}
        className="replay-track"
        role="slider"
        tabIndex={0}
        aria-label="Replay position"
        aria-valuemin={0}
        aria-valuemax={Math.round(clock.duration)}
        aria-valuenow={Math.round(position)}
        aria-valuetext={`${wall === null ? '' : `${formatClockTime(wall)}, `}${formatFilmTime(position)} of ${formatFilmTime(clock.duration)}`}
        onKeyDown={onSliderKey}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          seekToPointer(event);
        }}
        onPointerMove={(event) => {
          if (event.currentTarget.hasPointerCapture(event.pointerId)) seekToPointer(event);
        }}
      >
        <div className="replay-track-fill" style={{ width: `${fraction(position) * 100}%` }} />
        <div className="replay-track-thumb" style={{ left: `${fraction(position) * 100}%` }} />
      </div>
    </div>
  );
}
