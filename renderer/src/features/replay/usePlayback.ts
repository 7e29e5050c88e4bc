import { useEffect, useSyncExternalStore } from 'react';
import type { PlaybackState, ReplayPlayback } from './replayPlayback.js';

/**
 * The player's state for rendering, and its clock: while playing, each animation frame moves
 * playback by the real time since the last frame (so a slow frame plays more, not slower).
 */
export function usePlayback(playback: ReplayPlayback): PlaybackState {
  const state = useSyncExternalStore(playback.subscribe, playback.getState);
  const isPlaying = state.isPlaying;
  useEffect(() => {
    if (!isPlaying) return;
    let frame = 0;
    let last = performance.now();
    const tick = (now: number) => {
      // 250 ms at most per frame: a tab that was hidden does not jump ahead by minutes.
      playback.advance(Math.min(250, now - last));
      last = now;
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playback, isPlaying]);
  return state;
}

/** Space plays and pauses from anywhere in the player except where Space already means something. */
export function useSpaceToPlay(playback: ReplayPlayback): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== ' ' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && target.closest('button, input, select, textarea, a[href], [role="menuitem"], [contenteditable="true"]')) return;
      event.preventDefault();
      playback.toggle();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [playback]);
}
