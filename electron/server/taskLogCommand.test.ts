import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../shared/contract.js';
import type { Repo } from '../../shared/model/task.js';
import { serveRealHost, SPEAKER_COMMAND, type ServedHost } from '../../test/fixtures/realHost.js';

/**
 * `task log --follow` against the real host, served in-process: the history, then the output of
 * the running command as it comes, until the task leaves running. The scripted model runs
 * SPEAKER_COMMAND, which prints what the test tells it to, when it tells it to.
 */

let served: ServedHost;
let repo: Repo;
/** Runs once, inside the next `tasks.events` call `serve` answers, before and after the journal is read. */
let duringRead: { before?: () => Promise<unknown>; after?: () => Promise<unknown> } = {};

beforeAll(async () => {
  served = await serveRealHost({
    scenarios: [
      { name: 'gives up', match: 'gives up', steps: [{ type: 'shell', command: SPEAKER_COMMAND }, { type: 'fault', status: 400, body: JSON.stringify({ error: { message: 'the agent gave up' } }) }] },
      { name: 'quick', match: 'already done', steps: [{ type: 'message', text: 'Nothing to do.' }] },
      { name: 'speaks', steps: [{ type: 'shell', command: SPEAKER_COMMAND }, { type: 'message', text: 'All tests pass.' }] },
    ],
    // The real host's order: a read sees the journal as of that moment; events appended while
    // the reply travels come only live.
    wrap: (host) => {
      const readEvents: Handlers['tasks.events'] = async (input) => {
        const hooks = duringRead;
        duringRead = {};
        await hooks.before?.();
        const read = await host.handlers['tasks.events'](input);
        await hooks.after?.();
        return read;
      };
      return { ...host, handlers: { ...host.handlers, 'tasks.events': readEvents } };
    },
  });
  repo = await served.addRepo();
});

afterAll(async () => {
  await served.stop();
});

/** Polls a condition every 5 ms (no timing is asserted: the test timeout is the only limit). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A task whose command is running and has printed `line 1` and the start of line 2. */
async function speakingTask(prompt: string) {
  const task = await served.createTask({ repo: repo.id, prompt });
  const speaker = served.speaker(task);
  await speaker.say('line 1\nline ', 'line 1');
  return { id: task.id, speaker };
}

/** `task log ARGS --follow`, its lines collected as they are printed. */
function follow(args: string[]) {
  const out: string[] = [];
  const result = served.run(['task', 'log', ...args, '--follow'], { stdout: (text) => out.push(...text.split('\n')) });
  return { out, result };
}

describe('flotilla task log --follow', () => {
  it('prints the history, then the running command’s output as it comes, until the task leaves running', async () => {
    const { id, speaker } = await speakingTask('print lines');
    const other = await speakingTask('another chatty task');
    const run = follow([id]);
    await waitFor(() => run.out.includes('  line 1'));

    await speaker.say('2\nline 3\n', 'line 3');
    await other.speaker.say('not this task\n');
    await waitFor(() => run.out.includes('  line 3'));
    speaker.end();
    other.speaker.end();

    expect(await run.result).toMatchObject({ code: 0, err: [] });
    expect(run.out).toEqual([
      'you: print lines',
      '-- queued',
      '-- running',
      `$ ${SPEAKER_COMMAND}`,
      '  line 1',
      '  line 2',
      '  line 3',
      '[exit 0]',
      'agent: All tests pass.',
      '-- review',
    ]);
  });

  it('loses nothing and repeats nothing around the history read', async () => {
    const { id, speaker } = await speakingTask('print more lines, then gives up');
    duringRead = {
      // Journalled after the watch, before the read: in the history and live, printed once.
      before: () => speaker.say('2\n', 'line 2'),
      // Journalled after the read: live only, and still printed.
      after: () => speaker.say('line 3\n'),
    };
    const run = follow([id]);
    await waitFor(() => run.out.includes('  line 3'));
    speaker.end();

    expect((await run.result).code).toBe(1);
    expect(run.out.slice(3)).toEqual([
      `$ ${SPEAKER_COMMAND}`,
      '  line 1',
      '  line 2',
      '  line 3',
      '[exit 0]',
      `-- failed: model API error 400 at ${served.model.url}: the agent gave up`,
    ]);
  });

  it('returns at once for a task that is not running; --json prints one event per line, the journal as it is', async () => {
    const task = await served.createTask({ repo: repo.id, prompt: 'already done' });
    await served.waitForStatus(task.id, 'review');
    const run = follow([task.id, '--json']);
    expect((await run.result).code).toBe(0);
    const events = run.out.map((line) => JSON.parse(line) as { seq: number; body: { kind: string } });
    const journal = await served.host.handlers['tasks.events']({ id: task.id });
    if (!journal.ok) throw new Error(journal.message);
    expect(events).toEqual(journal.events);
    // The last: the turn's token usage, journalled with the move to Review (taskFold.ts).
    expect(events.map((e) => e.body.kind)).toEqual(['task_created', 'status_changed', 'status_changed', 'agent_message', 'status_changed', 'task_updated']);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('says so when the task does not exist', async () => {
    expect(await follow(['nope']).result).toEqual({ code: 1, out: '', err: ['flotilla: no task with id "nope"'] });
  });
});
