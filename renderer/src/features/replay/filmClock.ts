/**
 * The replay's own clock ("film time"): milliseconds from the first event, with idle gaps
 * optionally shrunk, so an hour in which the expert went for lunch plays in seconds.
 * Pure: the player maps between film time (what the timeline and playback move through) and
 * the recording's wall-clock times (what the user is shown, and what events carry).
 */

/** 3 s: pauses a user would sit through while watching; longer ones are waiting, not working. */
export const IDLE_GAP_MS = 3_000;
/** 1 s: what an idle gap shrinks to, long enough to notice that time passed. */
export const SHRUNK_GAP_MS = 1_000;

export interface FilmClock {
  /** Film time of each event, by index; non-decreasing. */
  readonly filmAt: readonly number[];
  /** Wall-clock time of each event (ms since the epoch), by index. */
  readonly wallAt: readonly number[];
  /** Film time of the last event: the timeline's length. */
  readonly duration: number;
}

/** `wallAt` in event order (seq order: a clock that stepped back counts as no time). */
export function filmClockOf(wallAt: readonly number[], skipIdle: boolean): FilmClock {
  const filmAt: number[] = [];
  let film = 0;
  for (let i = 0; i < wallAt.length; i++) {
    if (i > 0) {
      const gap = Math.max(0, (wallAt[i] ?? 0) - (wallAt[i - 1] ?? 0));
      film += skipIdle && gap > IDLE_GAP_MS ? SHRUNK_GAP_MS : gap;
    }
    filmAt.push(film);
  }
  return { filmAt, wallAt, duration: film };
}

/** How many events have happened at film time `position`: those at or before it. Binary search. */
export function playedCountAt(clock: FilmClock, position: number): number {
  let lo = 0;
  let hi = clock.filmAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((clock.filmAt[mid] ?? 0) <= position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The wall-clock time shown at film time `position`: the last played event's time plus the film
 * time since, stretched back to real time across a shrunk gap. Null for a recording without events.
 */
export function wallTimeAt(clock: FilmClock, position: number): number | null {
  const count = playedCountAt(clock, position);
  if (count === 0) return clock.wallAt[0] ?? null;
  const i = count - 1;
  const wall = clock.wallAt[i] ?? 0;
  const next = clock.filmAt[i + 1];
  if (next === undefined) return wall;
  const filmGap = next - (clock.filmAt[i] ?? 0);
  const wallGap = Math.max(0, (clock.wallAt[i + 1] ?? wall) - wall);
  if (filmGap <= 0) return wall;
  return wall + ((position - (clock.filmAt[i] ?? 0)) / filmGap) * wallGap;
}

/** The film time of event `index`: where a marker sits and where a seek to it lands. */
export function filmTimeOf(clock: FilmClock, index: number): number {
  return clock.filmAt[Math.max(0, Math.min(index, clock.filmAt.length - 1))] ?? 0;
}
