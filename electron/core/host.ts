import fs from 'node:fs';
import path from 'node:path';
import { failure, type Handlers } from '../../shared/contract.js';
import type { Host } from './hostTypes.js';
import { HostEventBus } from './hostEvents.js';
import { RepoService } from './repos/repoService.js';
import { probeSandbox } from './sandbox/probeSandbox.js';
import { openDatabase } from './store/database.js';
import { Journal } from './journal/journal.js';
import { historyUsage, scheduleHistoryRetention } from './journal/historyRetention.js';
import { RepoStore } from './store/repoStore.js';
import { SettingsStore } from './store/settingsStore.js';
import { SettingsService } from './settings/settingsService.js';
import { TaskStore } from './store/taskStore.js';
import { TaskRunner, type AgentSettings } from './tasks/taskRunner.js';
import { TaskService } from './tasks/taskService.js';
import { TaskTransitions } from './tasks/taskTransitions.js';
import { reconcileWorktrees } from './tasks/reconcileWorktrees.js';
import { TaskTerminals } from './tasks/taskTerminals.js';
import { AgentTerminals } from './tasks/agentTerminals.js';
import { removeWorktreeFolder, worktreeUsage } from './tasks/worktreeDisk.js';
import { TerminalChannel } from './terminal/terminalChannel.js';
import { reviewHandlers } from './review/reviewHandlers.js';
import { loadInstructions } from './agent/agentInstructions.js';
import { replayHandlers } from './replay/replayHandlers.js';
import { providerHandlers } from './providers/providerHandlers.js';
import { createKeyVault, type KeyCipher } from './providers/keyVault.js';
import { ProviderProfiles } from './providers/providerProfiles.js';
import { defaultProvider, publicSelection, selectProvider } from './providers/providerSelection.js';
import type { Task } from '../../shared/model/task.js';
import type { KeyStorage } from '../../shared/model/provider.js';
import { hostSecretRedactor } from './redaction/hostSecrets.js';
import { TerminalRecorder } from './terminal/terminalRecorder.js';
import { TerminalService } from './terminal/terminalService.js';
import { startPtyHost } from './terminal/ptyHostProcess.js';
import { PTY_HOST_CRASHED } from './terminal/ptyHostSupervisor.js';
import type { StartChild } from './util/childConnection.js';

export const VERSION = '0.1.0';

/**
 * The composition root of the host: wires stores, services and the handler table, and
 * disposes them in reverse order. Runs the same under Electron and plain Node.
 */
export async function createHost(opts: {
  home: string;
  env: NodeJS.ProcessEnv;
  clock?: () => number;
  /**
   * How to start the helper processes (the pty host and every agent worker): Node child
   * processes by default; the Electron app passes a utilityProcess starter.
   */
  startChild?: StartChild;
  /** How provider keys are encrypted at rest (the app: Electron safeStorage); headless: a 0600 file. */
  keyCipher?: { cipher?: KeyCipher; storage: KeyStorage };
}): Promise<Host> {
  const { home, env } = opts;
  const clock = opts.clock ?? Date.now;
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const db = openDatabase(home);
  const events = new HostEventBus();
  // Secrets never reach the disk (issue 12): the rules, the values of secret env vars, stored keys.
  const secrets = hostSecretRedactor({ env, secretEnvVars: () => settings.get().secretEnvVars, storedKeys: () => providerKeys.allKeys() });
  const journal = new Journal(db, clock, secrets, (event) => events.emit('tasks.onDidAppendEvent', { event }));
  const taskStore = new TaskStore(db, clock, secrets);
  const settings = new SettingsService({ store: new SettingsStore(db), events });
  const transitions = new TaskTransitions({ tasks: taskStore, journal, events });
  const repoStore = new RepoStore(db);
  const repos = new RepoService({ repos: repoStore, events, clock, home, env });
  const providerProfiles = new ProviderProfiles(home);
  const providerKeys = createKeyVault({ home, ...(opts.keyCipher ?? {}) });

  // The default provider profile if there is one; else the environment (how tests and scripts
  // pin a model) over the stored settings (providers/providerSelection.ts).
  const providerSources = { profiles: providerProfiles, keys: providerKeys, env, settings: () => settings.get() };
  // A task created for a provider (`--provider`) keeps it; a pinned model (`--model`) wins. A
  // profile removed since makes the turn fail with its name (the user re-adds it, then resumes).
  const agentSettings = (task?: Task): AgentSettings => {
    const stored = settings.get();
    const model = task?.isModelPinned ? task.model : undefined;
    const provider = task?.provider ? selectProvider(providerSources, { provider: task.provider, model }) : defaultProvider(providerSources, model);
    if ('ok' in provider) throw new Error(provider.message);
    return {
      model: provider.model,
      baseURL: provider.baseURL,
      api: provider.api,
      apiKey: provider.apiKey,
      commandTimeoutMs: stored.commandTimeoutMs,
      maxRunning: stored.maxRunning,
    };
  };
  // Every terminal's bytes go to a file per session; the journal says which file (terminal_recorded).
  const recorder = new TerminalRecorder({ dir: path.join(home, 'recordings'), redactor: secrets });
  const journalRecording = (taskId: string, sessionId: string, terminal: 'agent' | 'sandboxed' | 'unsandboxed') =>
    transitions.record(taskId, { kind: 'terminal_recorded', sessionId, terminal, recording: path.relative(home, recorder.pathOf(sessionId)) });
  /** Sessions the last pty host crash ended, so the crash is reported on the tasks that owned them. */
  const crashedSessions = new Set<string>();
  const terminalService = new TerminalService({
    ...(opts.startChild ? { startPtyHost: () => startPtyHost({ startChild: opts.startChild }) } : {}),
    recorder,
    scrollback: () => settings.get().terminalScrollback,
    onDidExit: (sessionId, exit) => {
      if (exit.reason?.startsWith(PTY_HOST_CRASHED)) crashedSessions.add(sessionId);
      events.emit('terminal.onDidExit', { sessionId, exitCode: exit.exitCode, reason: exit.reason });
    },
    onDidCrashPtyHost: (reason, isRestarted) => {
      const restart = isRestarted ? 'it was restarted' : 'it crashed repeatedly, so it restarts with the next terminal';
      console.error(`flotilla: the pty host died (${reason}); ${restart}`);
      const message = `The terminal process crashed (${reason}); ${restart}. Terminals open at the time were closed; a command running on one was reported as ended.`;
      for (const taskId of tasksHitByPtyHostCrash()) transitions.record(taskId, { kind: 'error', message });
      crashedSessions.clear();
    },
  });
  /** Tasks whose agent runs commands on ptys (running) or that owned a session the crash ended. */
  const tasksHitByPtyHostCrash = (): string[] =>
    taskStore
      .list()
      .filter((task) => task.status === 'running' || terminals.list(task.id).some((info) => crashedSessions.has(info.sessionId)))
      .map((task) => task.id);
  // The agent's commands run on ptys in the pty host, shown live in each task's Agent terminal.
  const agentTerminals = new AgentTerminals({ service: terminalService, onDidOpen: (taskId, sessionId) => journalRecording(taskId, sessionId, 'agent') });
  const terminals = new TaskTerminals({ service: terminalService, tasks: taskStore, repos: repoStore, home, env, agent: agentTerminals, onDidOpen: journalRecording });
  const runner = new TaskRunner({
    tasks: taskStore,
    repos: repoStore,
    journal,
    transitions,
    home,
    settings: agentSettings,
    env,
    agentTerminals,
    ...(opts.startChild ? { startChild: opts.startChild } : {}),
  });

  const tasks = new TaskService({
    home,
    tasks: taskStore,
    journal,
    repos,
    transitions,
    runner,
    agentFor: (wanted) => {
      const selection = selectProvider(providerSources, wanted);
      return 'ok' in selection ? selection : { model: selection.model };
    },
    defaultPolicy: () => {
      const stored = settings.get();
      return {
        mode: stored.defaultSandbox,
        allowNetwork: stored.defaultNetwork,
        approval: stored.defaultApproval,
        commandTimeoutMs: stored.commandTimeoutMs,
        extraWritablePaths: [],
      };
    },
    clock,
    env,
    beforeRemoveWorktree: (taskId) => terminals.closeAllOf(taskId),
    archiveRetentionDays: () => settings.get().archiveRetentionDays,
  });

  markInterruptedTasks(taskStore, journal, transitions);
  await reconcileWorktrees({ home, repos: repoStore, tasks: taskStore, transitions });
  // The journal folds to every task as stored (taskFold.ts): journal what an older version changed unjournalled.
  for (const task of taskStore.list()) transitions.sync(task.id);
  // Recordings and journal history of finished tasks within the retention settings (issue 12).
  const retention = scheduleHistoryRetention({
    db,
    home,
    clock,
    limits: () => ({ retentionDays: settings.get().historyRetentionDays, maxBytes: settings.get().historyRetentionMB * 1024 * 1024 }),
  });
  // A raised limit starts waiting tasks at once.
  events.on((event) => {
    if (event === 'settings.onDidChange') runner.reschedule();
  });

  // The contract's host methods. Its per-connection methods (`tasks.watch`, `terminal.attach`)
  // are answered by each transport for the connection that calls (electron/transport/
  // connectionScope.ts), with `openTerminalChannel` below for the terminal side.
  const handlers: Handlers = {
    'app.info': async () => ({
      version: VERSION,
      home,
      platform: process.platform,
      model: agentSettings().model,
      sandbox: await probeSandbox(env.FLOTILLA_BWRAP ? { bwrapPath: env.FLOTILLA_BWRAP } : {}),
    }),
    'repos.add': (input) => repos.add(input.path),
    'repos.open': async (input) => {
      const added = await repos.add(input.path);
      if (added.ok) events.emit('repos.onDidOpen', { repo: added.repo });
      return added;
    },
    'repos.list': async () => ({ repos: repos.list() }),
    'repos.remove': async (input) => repos.remove(input.id),
    'repos.rename': async (input) => repos.rename(input.id, input.name),
    'repos.configure': async ({ id, ...changes }) => repos.configure(id, changes),
    'repos.branches': (input) => repos.branches(input.id),
    'tasks.create': (input) => tasks.create(input),
    'tasks.start': async (input) => tasks.start(input.id),
    'tasks.send': async (input) => tasks.send(input.id, input.message),
    'tasks.list': async () => ({ tasks: tasks.list() }),
    'tasks.get': async (input) => tasks.get(input.id),
    'tasks.events': async (input) => tasks.events(input.id, input.afterSeq, input.limit, input.kinds),
    'tasks.diff': (input) => tasks.diff(input.id, input.turn),
    'tasks.instructions': async (input) => {
      const task = taskStore.get(input.id);
      if (!task) return failure('not_found', `no task with id "${input.id}"`);
      if (!fs.existsSync(task.worktreePath)) return failure('invalid_state', `task ${task.id} has no worktree any more (${task.status})`);
      return { ok: true, sources: (await loadInstructions({ home, worktreePath: task.worktreePath })).sources };
    },
    'tasks.recentActivity': async () => {
      const working = taskStore.list().filter((task) => task.status === 'running' || task.status === 'needs_input');
      return { events: journal.lastOfKinds(working.map((task) => task.id), ['command_started', 'agent_message']) };
    },
    'tasks.merge': ({ id, ...request }) => tasks.merge(id, request),
    'tasks.mergePreview': (input) => tasks.mergePreview(input.id, input.strategy),
    'tasks.restore': (input) => tasks.restore(input.id),
    'tasks.resolve': (input) => tasks.resolve(input.id),
    'tasks.pullRequest': (input) => tasks.pullRequest(input.id),
    'tasks.conflicts': async () => ({ conflicts: await tasks.conflicts() }),
    'tasks.stop': (input) => tasks.stop(input.id),
    'tasks.discard': (input) => tasks.discard(input.id),
    'tasks.approve': async (input) => tasks.decide(input.id, { decision: 'approve', scope: input.scope, message: null }),
    'tasks.deny': async (input) => tasks.decide(input.id, { decision: 'deny', scope: 'once', message: input.message ?? null }),
    'terminal.open': (input) => terminals.open(input),
    'terminal.list': async (input) =>
      taskStore.get(input.taskId) ? { ok: true, terminals: terminals.list(input.taskId) } : failure('not_found', `no task with id "${input.taskId}"`),
    'terminal.write': async (input) => terminalService.write(input.sessionId, input.data),
    'terminal.resize': async (input) => terminalService.resize(input.sessionId, input.cols, input.rows),
    'terminal.close': async (input) => terminals.close(input.sessionId),
    'worktrees.usage': async () => ({ worktrees: await worktreeUsage({ home, tasks: taskStore, repos: repoStore }) }),
    'worktrees.remove': (input) =>
      removeWorktreeFolder({ home, tasks: taskStore, folder: input.path, isUncommittedWorkConfirmed: input.confirmUncommitted }),
    'settings.get': async () => ({ settings: settings.get() }),
    'settings.set': async (input) => settings.set(input.key, input.value),
    'history.usage': async () => historyUsage(home),
    ...providerHandlers({
      ...providerSources,
      onDidChange: () => events.emit('providers.onDidChange', { inEffect: publicSelection(defaultProvider(providerSources)) }),
    }),
    ...reviewHandlers({
      home,
      env,
      tasks: taskStore,
      repos: repoStore,
      journal,
      transitions,
      settings: agentSettings,
      clock,
      diff: (taskId) => tasks.diff(taskId),
      send: (taskId, message) => tasks.send(taskId, message),
      isBusy: (taskId) => runner.isRunning(taskId),
      ...(opts.startChild ? { startChild: opts.startChild } : {}),
    }),
    ...replayHandlers({ db, home, events, redact: (text) => secrets.redact(text), clock, version: VERSION }),
  };

  let disposed: Promise<void> | null = null;
  return {
    home,
    handlers,
    onEvent: (listener) => events.on(listener),
    openTerminalChannel: (sendFrame) => new TerminalChannel({ service: terminalService, sendFrame }),
    workingTasks: () =>
      taskStore
        .list()
        .filter((task) => task.status === 'queued' || task.status === 'running' || (task.status === 'needs_input' && task.pendingApproval !== null))
        .map((task) => ({ id: task.id, title: task.title })),
    dispose: () => {
      disposed ??= (async () => {
        await runner.dispose();
        terminalService.dispose();
        await recorder.dispose();
        retention.dispose();
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
function markInterruptedTasks(tasks: TaskStore, journal: Journal, transitions: TaskTransitions): void {
  for (const status of ['running', 'queued', 'needs_input'] as const) {
    for (const task of tasks.listByStatus(status)) {
      // A task waiting on the user for a command has a worker only while the host lives.
      if (status === 'needs_input' && !task.pendingApproval) continue;
      // Intent was journalled before each command ran: one without an end is "outcome unknown",
      // and it is never re-run on its own.
      for (const callId of unfinishedCommands(journal, task.id)) {
        transitions.record(task.id, { kind: 'command_outcome_unknown', callId });
      }
      transitions.move(task.id, 'interrupted', 'Flotilla stopped while this task was running; its work so far is kept', {
        pendingApproval: null,
      });
    }
  }
}

function unfinishedCommands(journal: Journal, taskId: string): string[] {
  const open = new Set<string>();
  for (const { body } of journal.eventsOfKinds(taskId, ['command_started', 'command_finished', 'command_outcome_unknown'])) {
    if (body.kind === 'command_started') open.add(body.callId);
    if (body.kind === 'command_finished' || body.kind === 'command_outcome_unknown') open.delete(body.callId);
  }
  return [...open];
}

