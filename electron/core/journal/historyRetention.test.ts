import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import { foldTask } from '../../../shared/model/taskFold.js';
import type { TaskStatus } from '../../../shared/model/taskLifecycle.js';
import { removeTempDirs, tempDir } from '../git/testRepos.js';
import { openDatabase } from '../store/database.js';
import { DEFAULT_REPO_SETTINGS, RepoStore } from '../store/repoStore.js';
import { TaskStore } from '../store/taskStore.js';
import { Journal } from './journal.js';
import { historyUsage, pruneHistory } from './historyRetention.js';

afterAll(removeTempDirs);

const DAY = 24 * 60 * 60 * 1000;
const START = 1_700_000_000_000;

/** A FLOTILLA_HOME with a fake clock: tasks that finished (or not) at chosen days, each with history and a recording. */
function world() {
  const home = tempDir('retention');
  const db = openDatabase(home);
  let now = START;
  const clock = () => now;
  new RepoStore(db).insert({ id: 'r1', name: 'repo', path: '/repos/repo', defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
  const tasks = new TaskStore(db, clock);
  const journal = new Journal(db, clock);
  fs.mkdirSync(path.join(home, 'recordings'), { recursive: true });

  /** A task created now with `bytes` of output and a recording, that ends in `status` now too. */
  const task = (id: string, status: TaskStatus, bytes = 1000) => {
    tasks.insert(taskRecord({ id, createdAt: now, updatedAt: now }));
    journal.append(id, { kind: 'task_created', task: tasks.get(id) ?? taskRecord({ id }) });
    journal.append(id, { kind: 'status_changed', from: 'backlog', to: 'running', reason: null });
    journal.append(id, { kind: 'agent_message', text: `working on ${id}` });
    journal.append(id, { kind: 'command_started', callId: 'c1', command: 'npm test' });
    journal.append(id, { kind: 'command_output', callId: 'c1', chunk: `${'x'.repeat(bytes)}\n` });
    journal.append(id, { kind: 'command_finished', callId: 'c1', exitCode: 0, durationMs: 5, isKilled: false });
    const recording = `recordings/${id}-session.cast`;
    fs.writeFileSync(path.join(home, recording), `{"version":2}\n${'[0.1,"o","y"]\n'.repeat(bytes / 10)}`);
    journal.append(id, { kind: 'terminal_recorded', sessionId: `${id}-session`, terminal: 'agent', recording });
    if (status !== 'running') {
      tasks.update(id, { status });
      journal.append(id, { kind: 'status_changed', from: 'running', to: status, reason: null });
    }
  };
  const kinds = (id: string) => journal.eventsOf(id).map((e) => e.body.kind);
  const hasRecording = (id: string) => fs.existsSync(path.join(home, 'recordings', `${id}-session.cast`));
  return {
    home,
    db,
    task,
    kinds,
    hasRecording,
    journal,
    advance: (days: number) => (now += days * DAY),
    prune: (retentionDays = 30, maxBytes = 2048 * 1024 * 1024) => pruneHistory({ db, home, now, retentionDays, maxBytes }),
  };
}

describe('history retention', () => {
  it("prunes a finished task's history once it is older than the retention, never an open task's", () => {
    const w = world();
    w.task('merged-early', 'merged');
    w.task('open-review', 'review');
    w.task('failed-resumable', 'failed');
    w.advance(20);
    w.task('discarded-later', 'discarded');
    const foldBefore = foldTask(w.journal.eventsOf('merged-early'));

    w.advance(9); // day 29: nothing is 30 days old yet
    expect(w.prune().prunedTasks).toEqual([]);

    w.advance(2); // day 31: the first merge is 31 days old, the discard 11
    const result = w.prune();
    expect(result.prunedTasks).toEqual(['merged-early']);
    expect(result.deletedRecordings).toBe(1);
    // What the board folds from stays, so the task still shows as it ended; the rest is gone.
    expect(w.kinds('merged-early')).toEqual(['task_created', 'status_changed', 'status_changed']);
    expect(foldTask(w.journal.eventsOf('merged-early'))).toEqual(foldBefore);
    expect(w.hasRecording('merged-early')).toBe(false);
    // Open tasks, however old, and the recent discard keep everything.
    for (const id of ['open-review', 'failed-resumable', 'discarded-later']) {
      expect(w.kinds(id)).toContain('command_output');
      expect(w.hasRecording(id)).toBe(true);
    }
    // Applied again (the next day's run): nothing more to do.
    w.advance(1);
    expect(w.prune().prunedTasks).toEqual([]);
  });

  it('over the size limit, prunes finished tasks oldest first until under it, and open tasks never', () => {
    const w = world();
    w.task('old', 'merged', 50_000);
    w.advance(1);
    w.task('open', 'running', 50_000);
    w.advance(1);
    w.task('newer', 'discarded', 50_000);
    w.advance(1);
    w.task('newest', 'merged', 50_000);
    // Each task holds ~100 KB (output + recording); a limit of 250 KB forces out the two oldest finished.
    const result = w.prune(30, 250_000);
    expect(result.prunedTasks).toEqual(['old', 'newer']);
    expect(w.hasRecording('open')).toBe(true);
    expect(w.hasRecording('newest')).toBe(true);
    expect(w.kinds('open')).toContain('command_output');
    // A limit even the open task alone exceeds prunes every finished task and stops there.
    expect(w.prune(30, 1).prunedTasks).toEqual(['newest']);
    expect(w.kinds('open')).toContain('command_output');
  });

  it('deletes old recordings no journal row names, and reports the space used', () => {
    const w = world();
    w.task('kept', 'review', 1000);
    const orphan = path.join(w.home, 'recordings', 'orphan.cast');
    fs.writeFileSync(orphan, 'x'.repeat(500));
    const old = (START - 40 * DAY) / 1000;
    fs.utimesSync(orphan, old, old);
    const before = historyUsage(w.home);
    expect(before.recordingsBytes).toBeGreaterThan(500);
    expect(before.databaseBytes).toBeGreaterThan(0);
    expect(w.prune().deletedRecordings).toBe(1);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(historyUsage(w.home).recordingsBytes).toBe(before.recordingsBytes - 500);
  });
});
