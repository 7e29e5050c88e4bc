import { useEffect, useState } from 'react';
import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import type { UiClient } from '../../transport/uiClient.js';
import { errorMessage } from '../../state/startSync.js';
import { appendTranscriptEvents, EMPTY_TRANSCRIPT, type TranscriptState } from './transcriptState.js';

export interface TranscriptView extends TranscriptState {
  isLoaded: boolean;
  error: string | null;
}

/**
 * The live transcript of one task, kept in this view only: command output can be large
 * and changes many times a second, so it never goes through the app store.
 * Subscribes before loading so nothing falls between the two, batches live events per
 * animation frame, and resumes from the last seq after a reconnect.
 */
export function useTranscript(client: UiClient, taskId: string): TranscriptView {
  const [view, setView] = useState<TranscriptView>({ ...EMPTY_TRANSCRIPT, isLoaded: false, error: null });

  useEffect(() => {
    let isLive = true;
    let isLoaded = false;
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

    const offEvents = client.on('tasks.onDidAppendEvent', ({ event }) => {
      if (event.taskId !== taskId) return;
      buffer.push(event);
      if (isLoaded && frame === null) frame = requestAnimationFrame(flush);
    });

    const load = async () => {
      try {
        const afterSeq = state.lastSeq >= 0 ? state.lastSeq : undefined;
        const result = await client.invoke('tasks.events', afterSeq === undefined ? { id: taskId } : { id: taskId, afterSeq });
        if (!isLive) return;
        if (!result.ok) {
          setView((v) => ({ ...v, isLoaded: true, error: result.message }));
          return;
        }
        buffer = [...result.events, ...buffer];
        isLoaded = true;
        flush();
        setView((v) => ({ ...v, isLoaded: true, error: null }));
      } catch (error) {
        if (isLive && client.connectionStatus() === 'connected') {
          setView((v) => ({ ...v, isLoaded: true, error: errorMessage(error) }));
        }
      }
    };

    // Only a *re*connect can have lost events; the first connect carries the first load.
    let previousStatus = client.connectionStatus();
    const offConnection = client.onConnectionChange((status) => {
      if (status === 'connected' && previousStatus === 'reconnecting') void load();
      previousStatus = status;
    });
    void load();

    return () => {
      isLive = false;
      offEvents();
      offConnection();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [client, taskId]);

  return view;
}
