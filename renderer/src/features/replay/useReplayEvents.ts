import { useEffect, useState } from 'react';
import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import { errorMessage } from '../../state/startSync.js';
import type { UiClient } from '../../transport/uiClient.js';

export type ReplayLoad =
  | { status: 'loading'; loaded: number }
  | { status: 'failed'; message: string }
  | { status: 'ready'; events: readonly TaskEvent[] };

/**
 * Every event of replay `id`, read page by page (replay.events) from the live host. The whole
 * recording is read before playing: seeking needs the timeline's length and markers up front.
 * A recording of many hours would want to stream its pages instead (with keyframes).
 */
export function useReplayEvents(client: UiClient, id: string): ReplayLoad {
  const [load, setLoad] = useState<ReplayLoad>({ status: 'loading', loaded: 0 });
  useEffect(() => {
    let isCurrent = true;
    setLoad({ status: 'loading', loaded: 0 });
    void (async () => {
      const events: TaskEvent[] = [];
      let afterSeq: number | undefined;
      try {
        for (;;) {
          const page = await client.invoke('replay.events', afterSeq === undefined ? { id } : { id, afterSeq });
          if (!isCurrent) return;
          if (!page.ok) {
            setLoad({ status: 'failed', message: page.message });
            return;
          }
          events.push(...page.events);
          setLoad({ status: 'loading', loaded: events.length });
          if (page.nextAfterSeq === null) break;
          afterSeq = page.nextAfterSeq;
        }
        events.sort((a, b) => a.seq - b.seq);
        setLoad({ status: 'ready', events });
      } catch (error) {
        if (isCurrent) setLoad({ status: 'failed', message: errorMessage(error) });
      }
    })();
    return () => {
      isCurrent = false;
    };
  }, [client, id]);
  return load;
}
