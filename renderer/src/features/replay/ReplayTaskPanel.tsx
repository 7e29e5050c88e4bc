import { useMemo } from 'react';
import type { Task } from '../../../../shared/model/task.js';
import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { useActions } from '../../appContext.js';
import { InertText } from '../../components/InertText.js';
import { TaskTitleRow } from '../task/TaskTitleRow.js';
import { Transcript } from '../task/Transcript.js';
import { appendTranscriptEvents, EMPTY_TRANSCRIPT } from '../task/transcriptState.js';
import type { TranscriptView } from '../task/useTranscript.js';
import '../task/taskView.css';

/**
 * The selected card's transcript as of the replay's time: the same fold (transcriptState.ts over
 * shared/model/transcript.ts) and the same Transcript component as the live task view, fed the
 * task's replayed events instead of the host's. Read-only: no composer, merge or approval
 * controls, and no Changes or Terminal tabs yet (those read the live host today).
 */
export function ReplayTaskPanel({ task, events, lastSeq }: { task: Task; events: readonly TaskEvent[]; lastSeq: number }) {
  const { closeTask } = useActions();
  const view = useMemo<TranscriptView>(() => {
    const mine = events.filter((event) => event.taskId === task.id && event.seq <= lastSeq);
    return { ...appendTranscriptEvents(EMPTY_TRANSCRIPT, mine), isLoaded: true, error: null };
  }, [events, task.id, lastSeq]);
  return (
    <section role="region" aria-label={`Task: ${visibleText(task.title)}`} className="task-view replay-task">
      <header className="task-head">
        <TaskTitleRow task={task}>
          <button type="button" className="btn" onClick={closeTask}>
            Close
          </button>
        </TaskTitleRow>
        <div className="task-meta">
          <span className="mono truncate" title={visibleText(`${task.repoPath} · ${task.branch}`)}>
            <InertText text={`${task.repoName} · ${task.branch}`} />
          </span>
        </div>
        {task.statusReason && (
          <p className="task-reason" data-status={task.status}>
            <InertText text={task.statusReason} />
          </p>
        )}
      </header>
      <div className="tab-panel replay-transcript" aria-label="Transcript" role="group">
        <Transcript view={view} isVisible />
      </div>
    </section>
  );
}
