import { useEffect, useState } from 'react';
import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import type { UiClient } from '../../transport/uiClient.js';
import { followTaskEvents } from '../../state/followTaskEvents.js';
import { taskWatchOf } from '../../state/taskWatch.js';
import { appendTranscriptEvents, EMPTY_TRANSCRIPT, type TranscriptState } from './transcriptState.js';

export interface TranscriptView extends TranscriptState {
  isLoaded: boolean;
  error: string | null;
}

/**
 * The live transcript of one task, kept in this view only: command output can be large
 * and changes many times a second, so it never goes through the app store.
 * The host sends a task's command output only to the views watching it: this view watches its
 * task while it is open, loads the history once the watch holds (and again from the last seq
 * after a reconnect; see followTaskEvents), and folds live events once per animation frame.
 */
export function useTranscript(client: UiClient, taskId: string): TranscriptView {
  const [view, setView] = useState<TranscriptView>({ ...EMPTY_TRANSCRIPT, isLoaded: false, error: null });

  useEffect(() => {
    let isLive = true;
    let state: TranscriptState = EMPTY_TRANSCRIPT;
    let buffer: TaskEvent[] = [];
    let frame: number | null = null;
    setView({ ...EMPTY_TRANSCRIPT, isLoaded: false, error: null });

    const flush = () => {
      frame = null;
      if (!isLive || buffer.length === 0) return;
      const next = appendTranscriptEvents(state, buffer);
      buffer = [];
      if (next === state) return;
      state = next;
      setView((v) => ({ ...v, ...next }));
    };

    const stop = followTaskEvents(client, taskWatchOf(client), taskId, {
      events(batch) {
        buffer.push(...batch);
        if (frame === null) frame = requestAnimationFrame(flush);
      },
      loaded() {
        // The history shows at once, not a frame later.
        if (frame !== null) cancelAnimationFrame(frame);
        flush();
        setView((v) => ({ ...v, isLoaded: true, error: null }));
      },
      failed(message) {
        setView((v) => ({ ...v, isLoaded: true, error: message }));
      },
    });

    return () => {
      isLive = false;
      stop();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [client, taskId]);

  return view;
}
