import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../electron/core/journal/journal.js';
import { openDatabase, type Db } from '../electron/core/store/database.js';
import { methods } from '../shared/contract.js';
import { TASK_EVENTS_PAGE_MAX } from '../shared/contracts/taskEventPages.js';
import type { Task } from '../shared/model/task.js';
import { serveRealHost, type ServedHost } from './fixtures/realHost.js';

/**
 * `tasks.events` by pages (issue 12): a task with 50 000 journal rows in the real SQLite journal
 * is read a page at a time (never one huge reply), and `flotilla task log` pages through it all.
 */

const COMMANDS = 10_000;
/** Per command: started, 3 output chunks, finished. */
const ROWS = COMMANDS * 5;

let served: ServedHost;
let db: Db;
let task: Task;

beforeAll(async () => {
  served = await serveRealHost();
  const repo = await served.addRepo();
  task = await served.createTask({ repo: repo.id, prompt: 'a chatty task', start: false });
  // A second connection to the host's database (WAL: one writer at a time, readers never wait).
  db = openDatabase(served.home);
  const journal = new Journal(db);
  journal.transaction(() => {
    for (let i = 0; i < COMMANDS; i++) {
      const callId = `call-${i}`;
      journal.append(task.id, { kind: 'command_started', callId, command: `echo ${i}` });
      for (const part of ['out', 'put ', `${i}\n`]) journal.append(task.id, { kind: 'command_output', callId, chunk: part });
      journal.append(task.id, { kind: 'command_finished', callId, exitCode: 0, durationMs: 1, isKilled: false });
    }
  });
}, 120_000);

afterAll(async () => {
  db?.close();
  await served?.stop();
});

describe('tasks.events pages', () => {
  it('answers at most a page per call, each from the last one’s nextAfterSeq, until hasMore is false', async () => {
    const seqs: number[] = [];
    let afterSeq: number | undefined;
    let pages = 0;
    let largestReply = 0;
    const pageMs: number[] = [];
    for (;;) {
      const started = performance.now();
      const page = await served.host.handlers['tasks.events'](afterSeq === undefined ? { id: task.id } : { id: task.id, afterSeq });
      pageMs.push(performance.now() - started);
      if (!page.ok) throw new Error(page.message);
      pages++;
      largestReply = Math.max(largestReply, JSON.stringify(page).length);
      expect(page.events.length).toBeLessThanOrEqual(TASK_EVENTS_PAGE_MAX);
      seqs.push(...page.events.map((e) => e.seq));
      if (!page.hasMore) break;
      expect(page.nextAfterSeq).toBe(page.events.at(-1)?.seq);
      afterSeq = page.nextAfterSeq;
    }
    // task_created plus the 50 000 rows, each once and in order.
    expect(seqs).toHaveLength(ROWS + 1);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(pages).toBe(Math.ceil((ROWS + 1) / TASK_EVENTS_PAGE_MAX));
    console.log(`tasks.events: ${ROWS + 1} events in ${pages} pages; largest reply ${(largestReply / 1024).toFixed(0)} KB; median page ${[...pageMs].sort((a, b) => a - b)[pageMs.length >> 1]?.toFixed(1)} ms, slowest ${Math.max(...pageMs).toFixed(1)} ms`);
  });

  it('takes a smaller limit, refuses a larger one at the boundary, and an empty page ends the read', async () => {
    const small = await served.host.handlers['tasks.events']({ id: task.id, limit: 3 });
    expect(small.ok && small.events.map((e) => e.body.kind)).toEqual(['task_created', 'command_started', 'command_output']);
    expect(small.ok && small.hasMore).toBe(true);
    expect(methods['tasks.events'].input.safeParse({ id: task.id, limit: TASK_EVENTS_PAGE_MAX + 1 }).success).toBe(false);
    const last = await served.host.handlers['tasks.events']({ id: task.id, afterSeq: Number.MAX_SAFE_INTEGER });
    expect(last).toEqual({ ok: true, events: [], hasMore: false, nextAfterSeq: Number.MAX_SAFE_INTEGER });
  });

  it('reads only the kinds asked for, by pages too: the checkpoints of a chatty task skip its output', async () => {
    let afterSeq: number | undefined;
    const kinds = new Set<string>();
    let count = 0;
    for (let pages = 1; ; pages++) {
      const page = await served.host.handlers['tasks.events']({ id: task.id, kinds: ['command_finished', 'task_created'], ...(afterSeq === undefined ? {} : { afterSeq }) });
      if (!page.ok) throw new Error(page.message);
      for (const event of page.events) kinds.add(event.body.kind);
      count += page.events.length;
      if (!page.hasMore) {
        expect(pages).toBe(Math.ceil((COMMANDS + 1) / TASK_EVENTS_PAGE_MAX));
        break;
      }
      afterSeq = page.nextAfterSeq;
    }
    expect(count).toBe(COMMANDS + 1);
    expect([...kinds]).toEqual(['task_created', 'command_finished']);
    expect(methods['tasks.events'].input.safeParse({ id: task.id, kinds: ['no_such_kind'] }).success).toBe(false);
  });

  it('flotilla task log prints the whole transcript, page after page', async () => {
    const log = await served.run(['task', 'log', task.id]);
    expect(log.code).toBe(0);
    const outputs = log.out.split('\n').filter((line) => /^ {2}output \d+$/.test(line));
    expect(outputs).toHaveLength(COMMANDS);
    expect(outputs.at(-1)).toBe(`  output ${COMMANDS - 1}`);
  });
});
