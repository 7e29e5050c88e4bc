import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../shared/contract.js';
import { main } from './cli.js';
import type { CliIo } from './cliIo.js';
import { createFakeHost, type FakeHost } from './testing/fakeHost.js';

/**
 * `task log --follow` against a served (fake) host, in-process: the history, then the output
 * of the running command as it comes, until the task leaves running.
 */

let home: string;
let repoDir: string;
let host: FakeHost;
let stop: () => void;
let served: Promise<number>;
/** Runs once, inside the next `tasks.events` call, before and after the journal is read. */
let duringRead: { before?: (taskId: string) => void; after?: (taskId: string) => void } = {};

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-log-follow-'));
  repoDir = path.join(home, 'repo');
  fs.mkdirSync(path.join(repoDir, '.git'), { recursive: true });
  host = createFakeHost({
    home,
    overrides: {
      // The real host's order: a read sees the journal as of that moment; events appended while
      // the reply travels come only live.
      'tasks.events': async ({ id, afterSeq }) => {
        if (!host.tasks.has(id)) return failure('not_found', `no task ${id}`);
        const hooks = duringRead;
        duringRead = {};
        hooks.before?.(id);
        const events = host.journal(id).filter((e) => e.seq > (afterSeq ?? -1));
        hooks.after?.(id);
        return { ok: true, events };
      },
    },
  });
  await host.handlers['repos.add']({ path: repoDir });
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const out: string[] = [];
  served = main(['serve', '--port', '0'], { ...io(out, []), createHost: async () => host, stopSignal: stopped });
  await waitFor(() => out.length > 0);
});

afterAll(async () => {
  stop();
  await served;
  fs.rmSync(home, { recursive: true, force: true });
});

function io(out: string[], err: string[]): CliIo {
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: os.tmpdir(), env: { ...process.env, FLOTILLA_HOME: home } };
}

/** Polls a condition every 5 ms (no timing is asserted: the test timeout is the only limit). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function runningTask(prompt: string): Promise<string> {
  const created = await host.handlers['tasks.create']({ repo: repoDir, prompt, start: true });
  if (!created.ok) throw new Error(created.message);
  const id = created.task.id;
  host.move(id, 'running');
  host.record(id, { kind: 'command_started', callId: 'c1', command: 'npm test' });
  host.record(id, { kind: 'command_output', callId: 'c1', chunk: 'line 1\nline ' });
  return id;
}

function follow(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(['task', 'log', ...args, '--follow'], io(out, err));
  return { out, err, code };
}

describe('flotilla task log --follow', () => {
  it('prints the history, then the running command’s output as it comes, until the task leaves running', async () => {
    const id = await runningTask('print lines');
    const other = await runningTask('another chatty task');
    const run = follow([id]);
    await waitFor(() => run.out.includes('$ npm test'));

    host.record(id, { kind: 'command_output', callId: 'c1', chunk: '2\nline 3\n' });
    host.record(other, { kind: 'command_output', callId: 'c1', chunk: 'not this task\n' });
    await waitFor(() => run.out.includes('  line 3'));
    host.record(id, { kind: 'command_finished', callId: 'c1', exitCode: 0, durationMs: 12, isKilled: false });
    host.record(id, { kind: 'agent_message', text: 'All tests pass.' });
    host.move(id, 'review');

    expect(await run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out).toEqual([
      'you: print lines',
      '-- running',
      '$ npm test',
      '  line 1',
      '  line 2',
      '  line 3',
      '[exit 0]',
      'agent: All tests pass.',
      '-- review',
    ]);
  });

  it('loses nothing and repeats nothing around the history read', async () => {
    const id = await runningTask('print more lines');
    duringRead = {
      // Journalled after the watch, before the read: in the history and live, printed once.
      before: (taskId) => host.record(taskId, { kind: 'command_output', callId: 'c1', chunk: '2\n' }),
      // Journalled after the read: live only, and still printed.
      after: (taskId) => host.record(taskId, { kind: 'command_output', callId: 'c1', chunk: 'line 3\n' }),
    };
    const run = follow([id]);
    await waitFor(() => run.out.includes('  line 3'));
    host.move(id, 'failed', 'the agent gave up');

    expect(await run.code).toBe(1);
    expect(run.out.slice(2)).toEqual(['$ npm test', '  line 1', '  line 2', '  line 3', '-- failed: the agent gave up']);
  });

  it('returns at once for a task that is not running; --json prints one event per line', async () => {
    const id = await runningTask('already done');
    host.move(id, 'review');
    const run = follow([id, '--json']);
    expect(await run.code).toBe(0);
    const events = run.out.map((line) => JSON.parse(line) as { seq: number; body: { kind: string } });
    expect(events.map((e) => e.body.kind)).toEqual(['task_created', 'status_changed', 'command_started', 'command_output', 'status_changed']);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('says so when the task does not exist', async () => {
    const run = follow(['nope']);
    expect(await run.code).toBe(1);
    expect(run.err).toEqual(['flotilla: no task nope']);
  });
});
