import fs from 'node:fs';
import type { Handlers } from '../../shared/contract.js';
import type { Host } from './hostTypes.js';
import { HostEventBus } from './hostEvents.js';
import { RepoService } from './repos/repoService.js';
import { probeSandbox } from './sandbox/probeSandbox.js';
import { openDatabase } from './store/database.js';
import { Journal } from './journal/journal.js';
import { RepoStore } from './store/repoStore.js';
import { SettingsStore } from './store/settingsStore.js';
import { TaskStore } from './store/taskStore.js';
import { TaskRunner, type AgentSettings } from './tasks/taskRunner.js';
import { TaskService } from './tasks/taskService.js';
import { TaskTransitions } from './tasks/taskTransitions.js';

export const VERSION = '0.1.0';
const DEFAULT_MODEL = 'gpt-5-codex';
/** 10 min: long enough for a full test suite, short enough that a hung command frees its slot. */
const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60 * 1000;
const DEFAULT_MAX_RUNNING = 4;

/**
 * The composition root of the host: wires stores, services and the handler table, and
 * disposes them in reverse order. Runs the same under Electron and plain Node.
 */
export async function createHost(opts: { home: string; env: NodeJS.ProcessEnv; clock?: () => number }): Promise<Host> {
  const { home, env } = opts;
  const clock = opts.clock ?? Date.now;
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const db = openDatabase(home);
  const events = new HostEventBus();
  const journal = new Journal(db, clock);
  const taskStore = new TaskStore(db, clock);
  const settingsStore = new SettingsStore(db);
  const transitions = new TaskTransitions({ tasks: taskStore, journal, events });
  const repos = new RepoService({ repos: new RepoStore(db), events, clock });

  const agentSettings = (): AgentSettings => ({
    model: env.FLOTILLA_MODEL || settingsStore.get('model') || DEFAULT_MODEL,
    baseURL: env.OPENAI_BASE_URL || settingsStore.get('baseURL') || null,
    commandTimeoutMs: Number(settingsStore.get('commandTimeoutMs')) || DEFAULT_COMMAND_TIMEOUT_MS,
    maxRunning: Number(settingsStore.get('maxRunning')) || DEFAULT_MAX_RUNNING,
  });
  const runner = new TaskRunner({ tasks: taskStore, transitions, home, settings: agentSettings, env });
  const tasks = new TaskService({
    home,
    tasks: taskStore,
    journal,
    repos,
    transitions,
    runner,
    model: () => agentSettings().model,
    clock,
  });

  markInterruptedTasks(taskStore, transitions);

  const handlers: Handlers = {
    'app.info': async () => ({
      version: VERSION,
      home,
      platform: process.platform,
      model: agentSettings().model,
      sandbox: await probeSandbox(env.FLOTILLA_BWRAP ? { bwrapPath: env.FLOTILLA_BWRAP } : {}),
    }),
    'repos.add': (input) => repos.add(input.path),
    'repos.list': async () => ({ repos: repos.list() }),
    'repos.remove': async (input) => repos.remove(input.id),
    'repos.branches': (input) => repos.branches(input.id),
    'tasks.create': (input) => tasks.create(input),
    'tasks.list': async () => ({ tasks: tasks.list() }),
    'tasks.get': async (input) => tasks.get(input.id),
    'tasks.events': async (input) => tasks.events(input.id, input.afterSeq),
    'tasks.diff': (input) => tasks.diff(input.id),
    'tasks.merge': (input) => tasks.merge(input.id, input.strategy),
    'tasks.stop': (input) => tasks.stop(input.id),
    'tasks.discard': (input) => tasks.discard(input.id),
  };

  let disposed: Promise<void> | null = null;
  return {
    home,
    handlers,
    onEvent: (listener) => events.on(listener),
    dispose: () => {
      disposed ??= (async () => {
        await runner.dispose();
        db.close();
      })();
      return disposed;
    },
  };
}

/**
 * Tasks that were queued or running when the last host ended (crash, kill -9, power loss) have no
 * process any more: say so instead of showing them as running.
 */
function markInterruptedTasks(tasks: TaskStore, transitions: TaskTransitions): void {
  for (const status of ['running', 'queued'] as const) {
    for (const task of tasks.listByStatus(status)) {
      transitions.move(task.id, 'interrupted', 'Flotilla stopped while this task was running; its work so far is kept');
    }
  }
}

