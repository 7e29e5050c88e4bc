import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import type { AppStore } from '../../state/appStore.js';
import { filmClockOf, filmTimeOf, playedCountAt, type FilmClock } from './filmClock.js';
import type { ReplayActivity } from './replayActivity.js';

/** The speeds offered, slowest first (× real time). */
export const SPEEDS = [0.5, 1, 2, 4, 8, 16, 32] as const;
export type Speed = (typeof SPEEDS)[number];

/**
 * 50 ms: events one host step writes together (a request and the card's move) land within a few
 * ms of each other; a user saw them as one change, so a jump to the first shows them all.
 */
export const MOMENT_MS = 50;

/** The index of the last event of the moment that starts at event `index` (see MOMENT_MS). */
export function momentEndOf(events: readonly TaskEvent[], index: number): number {
  const start = events[index]?.at;
  if (start === undefined) return Math.max(0, Math.min(index, events.length - 1));
  let last = index;
  while (last + 1 < events.length && (events[last + 1]?.at ?? Infinity) <= start + MOMENT_MS) last++;
  return last;
}

export interface PlaybackState {
  /** Film time (ms from the first event; see filmClock.ts) the board shows. */
  position: number;
  isPlaying: boolean;
  speed: Speed;
  skipIdle: boolean;
  clock: FilmClock;
  /** How many events the replay store has folded: the board is as of event `played - 1`. */
  played: number;
}

/**
 * Plays a recording's events into the replay store (createAppStore({ mode: 'replay' })) and its
 * activity lines. Playing forwards folds only the new events; a seek backwards resets the store
 * and folds every event up to the target from the start. That costs O(events before the target):
 * fine for a session of a few thousand events; keyframes (a store snapshot every ~30 s, restored
 * with resetReplay(keyframe) before playing the short tail) are the next step for hour-long
 * recordings and are not built yet.
 */
export class ReplayPlayback {
  private state: PlaybackState;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly events: readonly TaskEvent[],
    private readonly store: AppStore,
    private readonly activity: ReplayActivity,
  ) {
    const skipIdle = true;
    this.state = { position: 0, isPlaying: false, speed: 4, skipIdle, clock: filmClockOf(events.map((e) => e.at), skipIdle), played: 0 };
    store.getState().resetReplay();
    this.foldUpTo(playedCountAt(this.state.clock, 0));
  }

  getState = (): PlaybackState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get eventList(): readonly TaskEvent[] {
    return this.events;
  }

  play(): void {
    if (this.state.isPlaying) return;
    // Play at the end starts over, like a video player.
    if (this.state.position >= this.state.clock.duration) this.seek(0);
    this.update({ isPlaying: true });
  }

  pause(): void {
    this.update({ isPlaying: false });
  }

  toggle(): void {
    if (this.state.isPlaying) this.pause();
    else this.play();
  }

  setSpeed(speed: Speed): void {
    this.update({ speed });
  }

  /** Rebuilds the film clock; the board stays on the same event. */
  setSkipIdle(skipIdle: boolean): void {
    const clock = filmClockOf(this.events.map((e) => e.at), skipIdle);
    const position = this.state.played === 0 ? 0 : filmTimeOf(clock, this.state.played - 1);
    this.update({ skipIdle, clock, position });
  }

  /** Moves playback by `elapsedMs` of real time (an animation frame's worth); stops at the end. */
  advance(elapsedMs: number): void {
    if (!this.state.isPlaying) return;
    const { clock, speed } = this.state;
    let position = Math.min(clock.duration, this.state.position + elapsedMs * speed);
    let count = playedCountAt(clock, position);
    // A film never skips a column a card went through: at most one status change per frame. On
    // a slow frame at 32× a card could otherwise jump from In progress to Done without showing
    // Review; the rest waits for the next frame, and the clock waits with it.
    const second = this.secondStatusChange(this.state.played, count);
    if (second !== null) {
      count = second;
      position = filmTimeOf(clock, second - 1);
    }
    this.foldUpTo(count);
    this.update({ position, isPlaying: position < clock.duration || count < this.events.length });
  }

  /** The index of the second status change among events [from, to), or null when there are fewer. */
  private secondStatusChange(from: number, to: number): number | null {
    let seen = 0;
    for (let index = from; index < to; index += 1) {
      if (this.events[index]?.body.kind !== 'status_changed') continue;
      seen += 1;
      if (seen === 2) return index;
    }
    return null;
  }

  /** Shows the board at film time `position` (clamped to the recording). */
  seek(position: number): void {
    const clamped = Math.max(0, Math.min(this.state.clock.duration, position));
    this.foldUpTo(playedCountAt(this.state.clock, clamped));
    this.update({ position: clamped });
  }

  /**
   * Shows the board as it was when event `index` (a marker) happened: that event and the ones
   * the host wrote with it in the same step (within MOMENT_MS: an approval request is journaled,
   * then the move to Needs you), and none after.
   */
  seekToEvent(index: number): void {
    const last = momentEndOf(this.events, index);
    this.foldUpTo(last + 1);
    this.update({ position: filmTimeOf(this.state.clock, last) });
  }

  private foldUpTo(count: number): void {
    const played = this.state.played;
    if (count === played) return;
    const store = this.store.getState();
    if (count > played) {
      const fresh = this.events.slice(played, count);
      store.applyTaskEvents(fresh);
      this.activity.advance(fresh);
    } else {
      const before = this.events.slice(0, count);
      store.resetReplay();
      store.applyTaskEvents(before);
      this.activity.rebuild(before);
    }
    this.state = { ...this.state, played: count };
  }

  private update(patch: Partial<PlaybackState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
