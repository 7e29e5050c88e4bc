import path from 'node:path';
import { failure, type Handlers } from '../../../shared/contract.js';
import type { replayMethods, ReplaySummary } from '../../../shared/contracts/replay.js';
import { decisionPointsOf } from '../../../shared/model/decisionPoints.js';
import type { TaskEvent, TaskEventKind } from '../../../shared/model/taskEvents.js';
import type { HostEventBus } from '../hostEvents.js';
import type { Db } from '../store/database.js';
import { isLocalSessionId, localEventsPage, localSessionSummary, localSessions } from './localSessions.js';
import type { Redact } from './redactCastLine.js';
import { exportReplay } from './replayExport.js';
import { importReplay, removeStaleStaging } from './replayImport.js';
import { EVENT_PAGE_ROWS, ReplayStore } from './replayStore.js';

type ReplayHandlers = Pick<Handlers, keyof typeof replayMethods>;

export interface ReplayHandlerDeps {
  db: Db;
  home: string;
  events: HostEventBus;
  redact: Redact;
  clock: () => number;
  version: string;
}

/** The kinds `decisionPointsOf` reads: `replay.show` keeps only these in memory, not the output. */
const DECISION_KINDS: ReadonlySet<TaskEventKind> = new Set(['task_created', 'approval_requested', 'approval_decided', 'merged', 'review_comment', 'user_message', 'status_changed']);

/** The replay methods of the host's handler table (shared/contracts/replay.ts). */
export function replayHandlers(deps: ReplayHandlerDeps): ReplayHandlers {
  const store = new ReplayStore(deps.db);
  const stagingDir = path.join(deps.home, 'imports');
  removeStaleStaging(stagingDir);
  return {
    'replay.list': async () => {
      const local = localSessions(deps.db)
        .reverse()
        .map((session) => localSessionSummary(deps.db, session));
      return { replays: [...local, ...store.list()] };
    },
    'replay.show': async ({ id }) => {
      const found = findReplay(deps.db, store, id);
      if (!found) return failure('not_found', `no replay with id "${id}" (see flotilla replay list)`);
      const tasks = new Map<string, { id: string; title: string; status: string | null; events: number }>();
      const decisive: TaskEvent[] = [];
      for (let afterSeq = 0; ; ) {
        const page = found.page(afterSeq);
        for (const event of page.events) {
          const task = tasks.get(event.taskId) ?? { id: event.taskId, title: event.taskId, status: null, events: 0 };
          task.events += 1;
          if (event.body.kind === 'task_created') Object.assign(task, { title: event.body.task.title, status: event.body.task.status });
          if (event.body.kind === 'status_changed') task.status = event.body.to;
          tasks.set(event.taskId, task);
          if (DECISION_KINDS.has(event.body.kind)) decisive.push(event);
        }
        if (page.lastSeq === null) break;
        afterSeq = page.lastSeq;
      }
      const { summary, skipped } = found;
      const durationMs = summary.startedAt === null || summary.endedAt === null ? 0 : summary.endedAt - summary.startedAt;
      return { ok: true, replay: { ...summary, durationMs, taskList: [...tasks.values()], decisionPoints: decisionPointsOf(decisive), skipped } };
    },
    'replay.events': async ({ id, afterSeq }) => {
      const found = findReplay(deps.db, store, id);
      if (!found) return failure('not_found', `no replay with id "${id}" (see flotilla replay list)`);
      const page = found.page(afterSeq ?? 0);
      return { ok: true, events: page.events, nextAfterSeq: page.rows < EVENT_PAGE_ROWS ? null : page.lastSeq };
    },
    'replay.export': async ({ taskId, since, out }) =>
      exportReplay(deps, taskId !== undefined ? { taskId } : { since: since ?? 0 }, out),
    'replay.import': async ({ path: file, progressId }) =>
      importReplay({ store, stagingDir, redact: deps.redact, clock: deps.clock }, file, (progress) => {
        if (progressId) deps.events.emit('replay.onDidProgress', { progressId, ...progress });
      }),
  };
}

interface FoundReplay {
  summary: ReplaySummary;
  skipped: Record<string, number>;
  page(afterSeq: number): { events: TaskEvent[]; lastSeq: number | null; rows: number };
}

function findReplay(db: Db, store: ReplayStore, id: string): FoundReplay | undefined {
  if (isLocalSessionId(id)) {
    const session = localSessions(db).find((candidate) => candidate.id === id);
    if (!session) return undefined;
    return { summary: localSessionSummary(db, session), skipped: {}, page: (afterSeq) => localEventsPage(db, session, afterSeq) };
  }
  const row = store.get(id);
  const [summary] = store.list(id);
  if (!row || !summary) return undefined;
  return { summary, skipped: row.skipped, page: (afterSeq) => store.eventsPage(id, afterSeq) };
}
