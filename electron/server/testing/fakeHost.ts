import fs from 'node:fs';
import path from 'node:path';
import { failure } from '../../../shared/contract.js';
import type { EventName, EventPayload, Handlers } from '../../../shared/contract.js';
import type { Repo, Task } from '../../../shared/model/task.js';
import type { TaskEvent, TaskEventBody } from '../../../shared/model/taskEvents.js';
import type { TaskStatus } from '../../../shared/model/taskLifecycle.js';
import type { Host, HostEventListener } from '../../core/hostTypes.js';
import { checkHomeReadOnlyPaths, checkUnixSockets } from '../../core/repos/repoSandboxPaths.js';
import { DEFAULT_REPO_SETTINGS } from '../../core/store/repoStore.js';
import { TerminalChannel } from '../../core/terminal/terminalChannel.js';
import { TerminalService } from '../../core/terminal/terminalService.js';
import { DEFAULT_SETTINGS, SETTING_SCHEMAS, type Settings } from '../../../shared/model/settings.js';

export interface FakeHost extends Host {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Moves a task and announces it, as the real host does after an agent turn. */
  move(id: string, status: TaskStatus, reason?: string | null): Task;
  /** Appends to a task's journal and announces it, as the real host does (`tasks.events` reads it). */
  record(taskId: string, body: TaskEventBody): TaskEvent;
  /** A task's journal so far. */
  journal(taskId: string): TaskEvent[];
  readonly tasks: Map<string, Task>;
  readonly isDisposed: boolean;
}

/**
 * An in-memory host that keeps the contract's promises without git, SQLite or agents: for
 * testing transports and the CLI. Tasks created with the prompt `finish` move on their own
 * through running to review (or to failed with the prompt `fail`), a few ms apart.
 */
export function createFakeHost(opts: { home?: string; overrides?: Partial<Handlers> } = {}): FakeHost {
  const listeners = new Set<HostEventListener>();
  const repos = new Map<string, Repo>();
  const tasks = new Map<string, Task>();
  const journals = new Map<string, TaskEvent[]>();
  let isDisposed = false;
  let nextId = 1;
  let nextSeq = 1;

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners) listener(event, payload);
  };
  const record = (taskId: string, body: TaskEventBody): TaskEvent => {
    const event: TaskEvent = { seq: nextSeq++, taskId, at: Date.now(), body };
    const journal = journals.get(taskId) ?? [];
    journals.set(taskId, journal);
    journal.push(event);
    emit('tasks.onDidAppendEvent', { event });
    return event;
  };
  const move = (id: string, status: TaskStatus, reason: string | null = null): Task => {
    const task = tasks.get(id);
    if (!task) throw new Error(`no task ${id}`);
    const next = { ...task, status, statusReason: reason, updatedAt: Date.now() };
    tasks.set(id, next);
    record(id, { kind: 'status_changed', from: task.status, to: status, reason });
    emit('tasks.onDidChange', { task: next });
    return next;
  };
  const findTask = (id: string) => tasks.get(id);
  let settings: Settings = { ...DEFAULT_SETTINGS, model: 'fake-model' };

  let terminalService: TerminalService | undefined;
  const handlers: Handlers = {
    'app.info': async () => ({
      version: '0.0.0-fake',
      home: opts.home ?? '/fake',
      platform: process.platform,
      model: 'fake-model',
      sandbox: { isAvailable: false, reason: 'fake host' },
    }),
    'repos.add': async ({ path: repoPath }) => {
      if (!fs.existsSync(path.join(repoPath, '.git'))) return failure('not_a_repo', `${repoPath} is not a git repository`);
      const repo: Repo = {
        id: `r${nextId++}`,
        name: path.basename(repoPath),
        path: repoPath,
        defaultBranch: 'main',
        addedAt: Date.now(),
        settings: DEFAULT_REPO_SETTINGS,
      };
      repos.set(repo.id, repo);
      emit('repos.onDidChange', { repos: [...repos.values()] });
      return { ok: true, repo };
    },
    'repos.list': async () => ({ repos: [...repos.values()] }),
    'repos.rename': async ({ id, name }) => {
      const repo = repos.get(id);
      if (!repo) return failure('not_found', `no repo ${id}`);
      const renamed = { ...repo, name };
      repos.set(id, renamed);
      return { ok: true, repo: renamed };
    },
    'repos.configure': async ({ id, ...changes }) => {
      const repo = repos.get(id);
      if (!repo) return failure('not_found', `no repo ${id}`);
      // The real host's checks, so clients meet the same refusals (and `~` expanded the same way).
      const pathContext = { hostEnv: process.env, flotillaHome: opts.home ?? '/fake' };
      const sockets = checkUnixSockets(changes.unixSockets ?? repo.settings.unixSockets, pathContext);
      const homePaths = checkHomeReadOnlyPaths(changes.homeReadOnlyPaths ?? repo.settings.homeReadOnlyPaths, pathContext);
      if (!sockets.ok || !homePaths.ok) {
        return failure('invalid_input', `Nothing was saved. ${[sockets, homePaths].flatMap((c) => (c.ok ? [] : [c.message])).join(' ')}`);
      }
      const configured: Repo = {
        ...repo,
        settings: {
          setupScript: changes.setupScript ?? repo.settings.setupScript,
          cleanupScript: changes.cleanupScript ?? repo.settings.cleanupScript,
          copyFiles: changes.copyFiles ?? repo.settings.copyFiles,
          baseBranch: changes.baseBranch === undefined ? repo.settings.baseBranch : changes.baseBranch,
          scriptNetwork: changes.scriptNetwork ?? repo.settings.scriptNetwork,
          unixSockets: sockets.paths,
          homeReadOnlyPaths: homePaths.paths,
        },
      };
      repos.set(id, configured);
      return { ok: true, repo: configured };
    },
    'tasks.start': async ({ id }) => (findTask(id) ? { ok: true, task: move(id, 'queued') } : failure('not_found', `no task ${id}`)),
    'tasks.send': async ({ id }) => (findTask(id) ? { ok: true, task: move(id, 'queued') } : failure('not_found', `no task ${id}`)),
    'tasks.approve': async ({ id }) => (findTask(id) ? { ok: true, task: move(id, 'running') } : failure('not_found', `no task ${id}`)),
    'tasks.deny': async ({ id }) => (findTask(id) ? { ok: true, task: move(id, 'running') } : failure('not_found', `no task ${id}`)),
    'settings.get': async () => ({ settings: { ...settings } }),
    'settings.set': async ({ key, value }) => {
      const parsed = SETTING_SCHEMAS[key].safeParse(value);
      if (!parsed.success) return failure('invalid_input', `${key}: invalid value`);
      settings = { ...settings, [key]: parsed.data };
      return { ok: true, settings: { ...settings } };
    },
    'repos.remove': async ({ id }) => (repos.delete(id) ? { ok: true } : failure('not_found', `no repo ${id}`)),
    'repos.branches': async ({ id }) => (repos.has(id) ? { ok: true, branches: ['main'], current: 'main' } : failure('not_found', `no repo ${id}`)),
    'tasks.create': async (input) => {
      const repo = repos.get(input.repo) ?? [...repos.values()].find((r) => r.path === input.repo);
      if (!repo) return failure('not_found', `no repo ${input.repo}`);
      const id = `t${nextId++}`;
      const now = Date.now();
      const task: Task = {
        id,
        title: input.title ?? input.prompt.slice(0, 40),
        prompt: input.prompt,
        repoId: repo.id,
        repoName: repo.name,
        repoPath: repo.path,
        status: 'queued',
        branch: `flotilla/${id}`,
        baseBranch: input.baseBranch ?? repo.defaultBranch,
        baseCommit: '0123456789abcdef0123456789abcdef01234567',
        worktreePath: path.join(opts.home ?? '/fake', 'worktrees', repo.id, id),
        statusReason: null,
        mergeCommit: null,
        mergeStrategy: null,
        model: 'fake-model',
        policy: { mode: 'workspace-write', allowNetwork: false, approval: 'on-request', commandTimeoutMs: 600_000, extraWritablePaths: [] },
        grants: { network: false, writablePaths: [], commands: [] },
        pendingApproval: null,
        usage: { inputTokens: 0, outputTokens: 0 },
        createdAt: now,
        updatedAt: now,
      };
      tasks.set(id, task);
      record(id, { kind: 'task_created', task });
      emit('tasks.onDidChange', { task });
      if (input.prompt === 'finish' || input.prompt === 'fail') {
        setTimeout(() => move(id, 'running'), 5);
        setTimeout(() => (input.prompt === 'fail' ? move(id, 'failed', 'the model refused the connection') : move(id, 'review')), 20);
      }
      return { ok: true, task };
    },
    'tasks.list': async () => ({ tasks: [...tasks.values()] }),
    'tasks.get': async ({ id }) => {
      const task = findTask(id);
      return task ? { ok: true, task } : failure('not_found', `no task ${id}`);
    },
    'tasks.events': async ({ id, afterSeq }) =>
      findTask(id) ? { ok: true, events: (journals.get(id) ?? []).filter((e) => e.seq > (afterSeq ?? -1)) } : failure('not_found', `no task ${id}`),
    'tasks.diff': async ({ id }) => {
      const task = findTask(id);
      if (!task) return failure('not_found', `no task ${id}`);
      const patch = 'diff --git a/hello.txt b/hello.txt\nnew file mode 100644\n--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1 @@\n+hello\n';
      return {
        ok: true,
        diff: {
          fromCommit: task.baseCommit,
          toCommit: 'fedcba9876543210fedcba9876543210fedcba98',
          files: [{ path: 'hello.txt', oldPath: null, change: 'added', additions: 1, deletions: 0, patch, isTruncated: false }],
        },
      };
    },
    'tasks.merge': async ({ id, strategy }) => {
      const task = findTask(id);
      if (!task) return failure('not_found', `no task ${id}`);
      if (task.status !== 'review') return failure('invalid_state', `task ${id} is ${task.status}; only a task in review can be merged`);
      const merged = { ...move(id, 'merged'), mergeCommit: 'abcabcabcabcabcabcabcabcabcabcabcabcabca', mergeStrategy: strategy };
      tasks.set(id, merged);
      return { ok: true, commit: 'abcabcabcabcabcabcabcabcabcabcabcabcabca', task: merged };
    },
    'tasks.mergePreview': async ({ id }) => (findTask(id) ? { ok: true, tip: null, uncommitted: [], message: '' } : failure('not_found', `no task ${id}`)),
    'tasks.restore': async ({ id }) => (findTask(id) ? { ok: true, task: move(id, 'review') } : failure('not_found', `no task ${id}`)),
    'tasks.pullRequest': async () => failure('unavailable', 'the fake host opens no pull requests'),
    'tasks.conflicts': async () => ({ conflicts: [] }),
    'tasks.stop': async ({ id }) => (findTask(id) ? { ok: true, task: move(id, 'stopped', 'stopped by you') } : failure('not_found', `no task ${id}`)),
    'tasks.discard': async ({ id }) => (findTask(id) ? { ok: true, task: move(id, 'discarded') } : failure('not_found', `no task ${id}`)),
    // Terminals are tested against the real host (test/e2e, electron/core/terminal).
    'terminal.open': async () => failure('invalid_state', 'the fake host has no terminals'),
    'terminal.list': async () => ({ ok: true, terminals: [] }),
    'worktrees.usage': async () => ({ worktrees: [] }),
    'tasks.recentActivity': async () => ({ events: [] }),
    // As the real host: transports answer it per connection.
    'worktrees.remove': async () => failure('invalid_input', 'the fake host has no worktrees'),
    'terminal.write': async () => failure('not_found', 'the fake host has no terminals'),
    'terminal.resize': async () => failure('not_found', 'the fake host has no terminals'),
    'terminal.close': async () => failure('not_found', 'the fake host has no terminals'),
    ...opts.overrides,
  };

  return {
    home: opts.home ?? '/fake',
    handlers,
    tasks,
    emit,
    move,
    record,
    journal: (taskId) => [...(journals.get(taskId) ?? [])],
    openTerminalChannel(sendFrame) {
      terminalService ??= new TerminalService();
      return new TerminalChannel({ service: terminalService, sendFrame });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      isDisposed = true;
      terminalService?.dispose();
      listeners.clear();
    },
    get isDisposed() {
      return isDisposed;
    },
  };
}
