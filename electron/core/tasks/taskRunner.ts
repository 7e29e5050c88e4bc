import type { Task } from '../../../shared/model/task.js';
import type { ApprovalDecision, ApprovalRequest, TaskGrants } from '../../../shared/model/approval.js';
import { describeWidening } from '../../../shared/model/widening.js';
import type { TaskEventBody } from '../../../shared/model/taskEvents.js';
import { startAgentTurn, WorkerPool, type AgentTurnHandle, type TurnOutcome } from '../agent/agentRunner.js';
import { DEFAULT_MAX_STEPS, type WorkerEvent, type WorkerStartConfig } from '../agent/workerProtocol.js';
import { checkpointCommit } from '../git/checkpoint.js';
import { repoGoneReason } from '../git/worktreeRecovery.js';
import type { Journal } from '../journal/journal.js';
import type { RepoStore } from '../store/repoStore.js';
import type { TaskStore } from '../store/taskStore.js';
import type { AgentTerminals } from './agentTerminals.js';
import { prepareWorktree, SETUP_CALL_ID } from './worktreeSetup.js';
import { scriptSandbox, taskHiddenPaths, taskSandboxSpec } from './taskSandbox.js';
import type { TaskTransitions } from './taskTransitions.js';

export interface AgentSettings {
  model: string;
  /** null: the SDK default (or OPENAI_BASE_URL from the worker's environment). */
  baseURL: string | null;
  /** Wall time per sandboxed command, in ms. */
  commandTimeoutMs: number;
  /** At most this many tasks run at once; the rest wait in `queued`, oldest first. */
  maxRunning: number;
}

type StartTurn = typeof startAgentTurn;

/** How the setup before a task's first turn went. */
type SetupResult =
  | { kind: 'done' | 'skipped' }
  | { kind: 'failed'; hadNetwork: boolean }
  | { kind: 'sandbox_unavailable'; reason: string };
/** What a worker streams that goes straight to the journal (approval requests are handled apart). */
type AgentEvent = Exclude<WorkerEvent, { type: 'approval_request' }>;

interface Running {
  /** Set once the agent worker is started (setup runs before it). */
  handle: AgentTurnHandle | null;
  /** Aborts the setup script, or a turn that has not started its worker yet. */
  abort: AbortController;
  /** Why we stopped it, so the outcome maps to the right status. */
  stopIntent: 'user' | 'shutdown' | null;
}

/**
 * Runs agent turns: one worker process per running task, at most `maxRunning` at once.
 * After every turn, whatever happened, the worktree is checkpointed so no work is lost.
 */
export class TaskRunner {
  /** Tasks holding a slot, from the moment they are picked from the queue until their turn ends. */
  private readonly running = new Map<string, Running>();
  /** The message each queued task will start its next turn with, in queue order. */
  private readonly queue = new Map<string, string>();
  private readonly idle = new Set<() => void>();
  private isDisposed = false;
  /** Created at the first turn: hosts that never run an agent keep no spare worker. */
  private pool: WorkerPool | null = null;

  constructor(
    private readonly deps: {
      tasks: TaskStore;
      repos: RepoStore;
      journal: Journal;
      transitions: TaskTransitions;
      home: string;
      settings: () => AgentSettings;
      /** The host's environment; only the model's credentials and basics reach the worker. */
      env: NodeJS.ProcessEnv;
      startTurn?: StartTurn;
      /**
       * The tasks' Agent terminals: with them the agent's commands run on ptys in the pty host,
       * shown live there; without them (tests) on pipes in the worker.
       */
      agentTerminals?: AgentTerminals;
    },
  ) {}

  /** Queues a turn for the task (status → queued) and starts it when a slot is free. */
  enqueue(task: Task, message: string): Task {
    const queued = task.status === 'queued' ? task : this.deps.transitions.move(task.id, 'queued');
    this.queue.set(task.id, message);
    this.schedule();
    return this.deps.tasks.get(task.id) ?? queued;
  }

  /**
   * Gets an agent worker loading while the caller does slow work (creating a worktree), so the
   * turn that follows starts at once.
   */
  warmUp(): void {
    if (this.isDisposed || this.deps.startTurn) return;
    this.workerPool().warm();
  }

  /** Starts waiting tasks if slots are free (e.g. after `maxRunning` was raised). */
  reschedule(): void {
    this.schedule();
  }

  isRunning(taskId: string): boolean {
    return this.running.has(taskId);
  }

  /** How many tasks hold a slot right now. */
  get runningCount(): number {
    return this.running.size;
  }

  /** Stops the task's turn (or takes it out of the queue); resolves when its processes are gone. */
  async stop(taskId: string, intent: 'user' | 'shutdown' = 'user'): Promise<void> {
    if (this.queue.delete(taskId)) {
      this.deps.transitions.move(taskId, 'stopped', 'stopped before it started');
      return;
    }
    const running = this.running.get(taskId);
    if (!running) return;
    running.stopIntent = intent;
    running.abort.abort();
    running.handle?.stop();
    await this.whenSettled(taskId);
  }

  async dispose(): Promise<void> {
    this.isDisposed = true;
    this.queue.clear();
    this.pool?.dispose();
    await Promise.all([...this.running.keys()].map((id) => this.stop(id, 'shutdown')));
  }

  private workerPool(): WorkerPool {
    this.pool ??= new WorkerPool({ env: this.workerEnv(), wantsSpare: () => this.couldUseSpare() });
    return this.pool;
  }

  /** A slot is free, or a turn that holds one has not taken its worker yet (still setting up). */
  private couldUseSpare(): boolean {
    if (this.running.size < this.deps.settings().maxRunning) return true;
    return [...this.running.values()].some((slot) => slot.handle === null);
  }

  private schedule(): void {
    if (this.isDisposed) return;
    this.startQueued();
    // A spare only while a turn could start on it; once agents have run (the pool exists).
    this.pool?.trim();
    this.pool?.warm();
  }

  private startQueued(): void {
    const { maxRunning } = this.deps.settings();
    for (const [taskId, message] of this.queue) {
      if (this.running.size >= maxRunning) return;
      this.queue.delete(taskId);
      // The slot is taken now, synchronously: the turn's own set-up is async and must not
      // let the next loop iteration over-fill the limit.
      const slot: Running = { handle: null, abort: new AbortController(), stopIntent: null };
      this.running.set(taskId, slot);
      void this.runTurn(taskId, message, slot)
        .catch((error: unknown) => {
          console.error(`flotilla: task ${taskId} turn crashed the runner:`, error);
          this.deps.transitions.record(taskId, { kind: 'error', message: `internal error: ${errorMessage(error)}` });
        })
        .finally(() => {
          this.running.delete(taskId);
          for (const notify of this.idle) notify();
          this.schedule();
        });
    }
  }

  private async runTurn(taskId: string, message: string, slot: Running): Promise<void> {
    const { tasks, transitions } = this.deps;
    const task = transitions.move(taskId, 'running');
    const { history, turns } = tasks.agentHistory(taskId);

    const setup = await this.setUpWorktreeOnce(task, slot.abort.signal);
    if (slot.stopIntent) {
      this.finish(taskId, { kind: 'stopped' }, slot.stopIntent);
      return;
    }
    if (setup.kind === 'failed') {
      transitions.move(taskId, 'failed', setupFailureReason(setup.hadNetwork));
      return;
    }
    if (setup.kind === 'sandbox_unavailable') {
      // As for the agent's commands: the user fixes the sandbox (installs bubblewrap), then resumes.
      transitions.move(taskId, 'needs_input', `the repo's setup script did not run: ${setup.reason}`);
      return;
    }

    const { agentTerminals } = this.deps;
    try {
      const config = await this.workerConfig(task, history, message);
      const pool = this.workerPool();
      slot.handle = (this.deps.startTurn ?? startAgentTurn)({
        config: { ...config, commandTerminal: agentTerminals ? 'pty' : 'pipes' },
        env: this.workerEnv(),
        pool,
        ...(agentTerminals ? { commandPtys: agentTerminals.commandPtys(taskId) } : {}),
        onEvent: (event) => {
          if (event.type === 'approval_request') return this.askForApproval(taskId, event.request);
          // The Agent terminal first: a command's header is there before anyone hears of it.
          agentTerminals?.observe(taskId, event);
          transitions.record(taskId, toJournalBody(event));
        },
      });
    } catch (error) {
      transitions.move(taskId, 'failed', `could not start the agent: ${errorMessage(error)}`);
      return;
    }
    // A stop that arrived while the worker was being set up.
    if (slot.stopIntent) slot.handle.stop();
    const outcome = await slot.handle.done;
    agentTerminals?.endTurn(taskId);
    await this.checkpoint(task, turns + 1);
    if (outcome.kind === 'done' || outcome.kind === 'failed') tasks.saveAgentHistory(taskId, outcome.history, turns + 1);
    if (outcome.kind === 'done') tasks.addUsage(taskId, outcome.usage);
    // Its repo deleted or moved during the turn: Review would promise a diff and a merge it cannot give.
    const repoGone = repoGoneReason(task.repoPath, task.worktreePath);
    this.finish(taskId, repoGone ? { kind: 'failed', reason: repoGone, isSandboxUnavailable: false, history: [] } : outcome, slot.stopIntent);
  }

  /** The agent's command waits for the user: the card moves to Needs you with what is asked. */
  private askForApproval(taskId: string, asked: Omit<ApprovalRequest, 'requestedAt'>): void {
    const request: ApprovalRequest = { ...asked, requestedAt: Date.now() };
    this.deps.transitions.record(taskId, { kind: 'approval_requested', request });
    const what = request.kind === 'escalation' ? describeWidening(request.widening) : 'running a command that may change things';
    this.deps.transitions.move(taskId, 'needs_input', `approval needed: ${what} for \`${oneLine(request.command, 80)}\``, { pendingApproval: request });
  }

  /** Sends the user's decision to the waiting worker; false when no worker waits any more. */
  answerApproval(taskId: string, requestId: string, decision: ApprovalDecision, grants: TaskGrants): boolean {
    const slot = this.running.get(taskId);
    if (!slot?.handle) return false;
    slot.handle.decide(requestId, decision, grants);
    return true;
  }

  /** Copies files and runs the repo's setup script before the first turn; again if it never succeeded. */
  private async setUpWorktreeOnce(task: Task, signal: AbortSignal): Promise<SetupResult> {
    const repo = this.deps.repos.get(task.repoId);
    if (!repo || this.hasSetUp(task.id)) return { kind: 'skipped' };
    const outcome = await prepareWorktree({
      repoPath: repo.path,
      worktreePath: task.worktreePath,
      settings: repo.settings,
      sandbox: () => scriptSandbox(task, repo.settings, this.deps.home, this.deps.env),
      // The wall time of one of the task's commands: a setup script is one more command.
      timeoutMs: task.policy.commandTimeoutMs,
      signal,
      record: (body) => this.deps.transitions.record(task.id, body),
    });
    if (outcome === null) return { kind: 'skipped' };
    if (outcome.kind === 'sandbox_unavailable') return outcome;
    if (outcome.exitCode === 0) return { kind: 'done' };
    return { kind: 'failed', hadNetwork: repo.settings.scriptNetwork || task.policy.allowNetwork };
  }

  /** Set up already: a turn has run, or the setup script once finished with exit code 0. */
  private hasSetUp(taskId: string): boolean {
    if (this.deps.tasks.agentHistory(taskId).turns > 0) return true;
    return this.deps.journal
      .eventsOfKinds(taskId, ['command_finished'])
      .some(({ body }) => body.kind === 'command_finished' && body.callId === SETUP_CALL_ID && body.exitCode === 0);
  }

  private finish(taskId: string, outcome: TurnOutcome, stopIntent: Running['stopIntent']): void {
    const { transitions } = this.deps;
    // A request nobody can answer any more (the worker is gone) must not linger on the card.
    if (this.deps.tasks.get(taskId)?.pendingApproval) this.deps.tasks.update(taskId, { pendingApproval: null });
    if (stopIntent === 'shutdown') {
      transitions.move(taskId, 'interrupted', 'Flotilla closed while this task was running');
      return;
    }
    if (stopIntent === 'user') {
      transitions.move(taskId, 'stopped', 'stopped by you; the work so far is kept');
      return;
    }
    switch (outcome.kind) {
      case 'done':
        transitions.move(taskId, 'review');
        return;
      case 'failed':
        // No sandbox is something the user fixes (install bubblewrap), then resumes: it needs them.
        transitions.move(taskId, outcome.isSandboxUnavailable ? 'needs_input' : 'failed', outcome.reason);
        return;
      case 'stopped':
        transitions.move(taskId, 'stopped', 'the agent stopped');
        return;
      case 'crashed':
        transitions.move(taskId, 'failed', `the agent process ended unexpectedly: ${outcome.reason}`);
        return;
    }
  }

  /** Commits whatever the agent changed, so every turn has a diff and can be undone. */
  private async checkpoint(task: Task, turn: number): Promise<void> {
    try {
      const result = await checkpointCommit({
        worktreePath: task.worktreePath,
        message: `flotilla: turn ${turn} of "${task.title}"`,
        // Files copied in from the user's checkout (.env…) are local config, not the agent's work.
        excludePaths: this.deps.repos.get(task.repoId)?.settings.copyFiles ?? [],
      });
      if (!result) return;
      this.deps.transitions.record(task.id, { kind: 'checkpoint', commit: result.commit, filesChanged: result.filesChanged, turn });
      if (result.plainFolders.length > 0) this.deps.transitions.record(task.id, { kind: 'note', text: plainFoldersNote(result.plainFolders) });
    } catch (error) {
      this.deps.transitions.record(task.id, { kind: 'error', message: `checkpoint commit failed: ${errorMessage(error)}` });
    }
  }

  private whenSettled(taskId: string): Promise<void> {
    if (!this.running.has(taskId)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.running.has(taskId)) return;
        this.idle.delete(check);
        resolve();
      };
      this.idle.add(check);
    });
  }

  private async workerConfig(task: Task, history: unknown[], message: string): Promise<WorkerStartConfig> {
    const settings = this.deps.settings();
    return {
      taskId: task.id,
      worktreePath: task.worktreePath,
      sandbox: await taskSandboxSpec(task, this.deps.home, this.deps.repos.get(task.repoId)?.settings),
      approval: task.policy.approval,
      grants: task.grants,
      hiddenPaths: taskHiddenPaths(this.deps.home, this.deps.env),
      model: settings.model,
      baseURL: settings.baseURL,
      history,
      message,
      commandTimeoutMs: task.policy.commandTimeoutMs,
      maxSteps: DEFAULT_MAX_STEPS,
      // FLOTILLA_BWRAP: a bubblewrap installed somewhere unusual (set by the user who starts
      // Flotilla, never read from the repo).
      ...(this.deps.env.FLOTILLA_BWRAP ? { bwrapPath: this.deps.env.FLOTILLA_BWRAP } : {}),
    };
  }

  /** The worker gets the model's credentials and basics only; it passes none of them to commands. */
  private workerEnv(): NodeJS.ProcessEnv {
    const source = this.deps.env;
    const env: NodeJS.ProcessEnv = {};
    for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'FLOTILLA_MODEL_TIMEOUT_MS']) {
      if (source[key] !== undefined) env[key] = source[key];
    }
    // Under Electron, process.execPath is the app binary: make it behave as plain Node.
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    return env;
  }
}

function toJournalBody(event: AgentEvent): TaskEventBody {
  switch (event.type) {
    case 'agent_message':
      return { kind: 'agent_message', text: event.text };
    case 'command_started':
      return { kind: 'command_started', callId: event.callId, command: event.command };
    case 'command_output':
      return { kind: 'command_output', callId: event.callId, chunk: event.chunk };
    case 'command_finished':
      return { kind: 'command_finished', callId: event.callId, exitCode: event.exitCode, durationMs: event.durationMs, isKilled: event.isKilled };
  }
}

/** Why a task failed in its setup; without network, the likely cause and its fix too. */
export function setupFailureReason(hadNetwork: boolean): string {
  const reason = "the repo's setup script failed; see its output in the task";
  if (hadNetwork) return reason;
  return `${reason}. Setup and cleanup scripts run in the task's sandbox without network unless the repo allows it (Settings → Repos → Sandbox, or \`flotilla repo config ID --script-network on\`)`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first line of `text`, cut to `max` characters. */
function oneLine(text: string, max: number): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** Says that folders with a repository of their own went into the checkpoint as plain files. */
export function plainFoldersNote(folders: readonly string[]): string {
  const shown = folders.slice(0, 3).join(', ') + (folders.length > 3 ? ` and ${folders.length - 3} more` : '');
  return (
    `${folders.length === 1 ? 'A folder' : `${folders.length} folders`} (${shown}) held a git repository of ${folders.length === 1 ? 'its' : 'their'} own: ` +
    'the files were committed as plain files; the nested .git was not (Flotilla never commits or runs git inside a repository the agent made).'
  );
}
