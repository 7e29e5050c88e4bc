import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Long imports and exports run on the host's event loop, beside everything else the host does
 * (terminal frames, agent events, the UI's calls). `pause()` resolves at once until `sliceMs` of
 * work have passed since the last turn, then gives the loop a turn: the work takes slightly
 * longer, and the host never stops answering for more than a slice.
 */
export function eventLoopSlices(sliceMs = SLICE_MS): { pause(): Promise<void> | undefined } {
  let sliceStart = performance.now();
  return {
    pause() {
      if (performance.now() - sliceStart < sliceMs) return undefined;
      return nextTurn().then(() => {
        sliceStart = performance.now();
      });
    },
  };
}

/** 20 ms: a little over one 60 Hz frame; the UI's calls and terminal frames wait at most that. */
const SLICE_MS = 20;
