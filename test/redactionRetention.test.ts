import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../electron/core/host.js';
import type { Host } from '../electron/core/hostTypes.js';
import type { TaskEvent } from '../shared/model/taskEvents.js';
import { readAllTaskEvents } from '../shared/contracts/taskEventPages.js';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';

/**
 * Issue 12, retention: the real host on a fake clock. Two tasks run (one is discarded, one stays
 * in Review); the host is restarted 31 days later and applies retention at start: the discarded
 * task's transcript and recordings are gone (it still shows as discarded), the open task keeps
 * everything. Settings change the limits (`config`-style `settings.set`).
 */

const DAY = 24 * 60 * 60 * 1000;
let model: ModelServer;
let repo: TempRepo;
let home: string;
let now = Date.UTC(2026, 0, 1);
const clock = () => now;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [{ name: 'work', match: 'retention', steps: [{ type: 'shell', command: 'echo retained-output-$((6*7))' }, { type: 'message', text: 'all done here' }] }],
  });
  repo = await makeTempRepo();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-retention-'));
});

afterAll(async () => {
  await model?.close();
  await repo?.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
});

function startHost(): Promise<Host> {
  return createHost({ home, env: { ...process.env, FLOTILLA_HOME: home, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' }, clock });
}

async function eventsOf(host: Host, id: string): Promise<TaskEvent[]> {
  const read = await readAllTaskEvents((afterSeq) => host.handlers['tasks.events'](afterSeq === undefined ? { id } : { id, afterSeq }));
  if (!read.ok) throw new Error(read.message);
  return read.events;
}

/** Resolves once the task is in one of `statuses` (listening first, then reading). */
function waitForStatus(host: Host, id: string, ...statuses: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const unsubscribe = host.onEvent((name, payload) => {
      if (name === 'tasks.onDidChange' && (payload as { task: { id: string; status: string } }).task.id === id && statuses.includes((payload as { task: { status: string } }).task.status)) {
        unsubscribe();
        resolve();
      }
    });
    host.handlers['tasks.get']({ id }).then((got) => {
      if (got.ok && statuses.includes(got.task.status)) {
        unsubscribe();
        resolve();
      }
    }, reject);
  });
}

const recordingsOf = (events: TaskEvent[]) =>
  events.flatMap((e) => (e.body.kind === 'terminal_recorded' ? [path.join(home, e.body.recording)] : []));

describe('history retention on the real host', () => {
  let discardedId: string;
  let openId: string;

  it('runs two tasks, discards one, and shows the space used', async () => {
    const host = await startHost();
    try {
      const added = await host.handlers['repos.add']({ path: repo.path });
      if (!added.ok) throw new Error(added.message);
      const create = async (title: string) => {
        const created = await host.handlers['tasks.create']({ repo: added.repo.id, prompt: `retention ${title}`, start: true });
        if (!created.ok) throw new Error(created.message);
        await waitForStatus(host, created.task.id, 'review');
        return created.task.id;
      };
      discardedId = await create('one');
      openId = await create('two');
      const discarded = await host.handlers['tasks.discard']({ id: discardedId });
      expect(discarded.ok).toBe(true);
      const events = await eventsOf(host, discardedId);
      expect(events.some((e) => e.body.kind === 'command_output' && e.body.chunk.includes('retained-output-42'))).toBe(true);
      expect(recordingsOf(events).every((file) => fs.existsSync(file))).toBe(true);
      expect(recordingsOf(events).length).toBeGreaterThan(0);
      const usage = await host.handlers['history.usage']({});
      expect(usage.databaseBytes).toBeGreaterThan(0);
      expect(usage.recordingsBytes).toBeGreaterThan(0);
    } finally {
      await host.dispose();
    }
  }, 120_000);

  it('29 days later nothing is pruned; 31 days later the discarded task loses its history at start, the open task keeps all', async () => {
    now += 29 * DAY;
    let host = await startHost();
    try {
      expect((await eventsOf(host, discardedId)).some((e) => e.body.kind === 'command_output')).toBe(true);
    } finally {
      await host.dispose();
    }

    now += 2 * DAY;
    host = await startHost();
    try {
      const events = await eventsOf(host, discardedId);
      expect(events.map((e) => e.body.kind)).not.toContain('command_output');
      expect(events.map((e) => e.body.kind)).not.toContain('agent_message');
      const got = await host.handlers['tasks.get']({ id: discardedId });
      expect(got.ok && got.task.status).toBe('discarded');
      const open = await eventsOf(host, openId);
      expect(open.some((e) => e.body.kind === 'command_output' && e.body.chunk.includes('retained-output-42'))).toBe(true);
      expect(recordingsOf(open).every((file) => fs.existsSync(file))).toBe(true);
      // The discarded task's recordings are gone from disk.
      const names = fs.readdirSync(path.join(home, 'recordings'));
      expect(names.length).toBe(recordingsOf(open).length);
    } finally {
      await host.dispose();
    }
  });

  it('the limits are settings: checked, stored, and read back', async () => {
    const host = await startHost();
    try {
      expect(await host.handlers['settings.set']({ key: 'historyRetentionDays', value: '7' })).toMatchObject({ ok: true, settings: { historyRetentionDays: 7 } });
      expect(await host.handlers['settings.set']({ key: 'historyRetentionMB', value: '512' })).toMatchObject({ ok: true, settings: { historyRetentionMB: 512 } });
      expect(await host.handlers['settings.set']({ key: 'historyRetentionMB', value: '0' })).toMatchObject({ ok: false, kind: 'invalid_input' });
      expect(await host.handlers['settings.set']({ key: 'secretEnvVars', value: 'DEPLOY_PHRASE, 1BAD' })).toMatchObject({ ok: false, kind: 'invalid_input' });
      expect((await host.handlers['settings.get']({})).settings).toMatchObject({ historyRetentionDays: 7, historyRetentionMB: 512, secretEnvVars: [] });
    } finally {
      await host.dispose();
    }
  });
});
