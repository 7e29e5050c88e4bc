import type { Task } from '../../../shared/model/task.js';
import { TaskPlanSchema } from '../../../shared/model/plan.js';
import type { ApprovalDecision, TaskGrants } from '../../../shared/model/approval.js';
import type { TaskEventBody } from '../../../shared/model/taskEvents.js';
import { startAgentTurn, WorkerPool } from '../agent/agentRunner.js';
import type { WorkerEvent } from '../agent/workerProtocol.js';
import { repoGoneReason } from '../git/worktreeRecovery.js';
import type { Journal } from '../journal/journal.js';
import type { RepoStore } from '../store/repoStore.js';
import type { TaskStore } from '../store/taskStore.js';
import type { StartChild } from '../util/childConnection.js';
import { errorMessage } from '../util/errorMessage.js';
import type { AgentTerminals } from './agentTerminals.js';
import { finishTurn } from './finishTurn.js';
import { requestApproval } from './taskApprovals.js';
import { checkpointTurn, conflictMarkersAfterTurn } from './taskCheckpoint.js';
import { TaskScheduler, type TurnSlot } from './taskScheduler.js';
import { setUpTaskOnce, setupFailureReason } from './taskScripts.js';
import type { TaskTransitions } from './taskTransitions.js';
import { workerEnv, workerStartConfig, type AgentSettings } from './workerStartConfig.js';

export type { AgentSettings } from './workerStartConfig.js';

type StartTurn = typeof startAgentTurn;

/** What a worker streams that goes straight to the journal (approval requests are handled apart). */
type AgentEvent = Exclude<WorkerEvent, { type: 'approval_request' } | { type: 'plan_updated' }>;

/**
 * Runs agent turns: one worker process per running task, at most `maxRunning` at once (the
 * TaskScheduler decides when). A turn sets the worktree up once, runs the worker, streams its
 * events to the journal, and whatever happened checkpoints the worktree so no work is lost.
 */
export class TaskRunner {
  private readonly scheduler: TaskScheduler;
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
      /** The agent settings for `task`'s turns (its provider and model); no task: the defaults. */
      settings: (task?: Task) => AgentSettings;
      /** The host's environment; only the model's credentials and basics reach the worker. */
      env: NodeJS.ProcessEnv;
      /** How worker processes start: Node children by default, Electron utility processes in the app. */
      startChild?: StartChild;
      startTurn?: StartTurn;
      /**
       * The tasks' Agent terminals: with them the agent's commands run on ptys in the pty host,
       * shown live there; without them (tests) on pipes in the worker.
       */
      agentTerminals?: AgentTerminals;
    },
  ) {
    this.scheduler = new TaskScheduler({
      maxRunning: () => deps.settings().maxRunning,
      runTurn: (taskId, message, slot) => this.runTurn(taskId, message, slot),
      onDidCrash: (taskId, error) => {
        console.error(`flotilla: task ${taskId} turn crashed the runner:`, error);
        deps.transitions.record(taskId, { kind: 'error', message: `internal error: ${errorMessage(error)}` });
      },
      // A spare only while a turn could start on it; once agents have run (the pool exists).
      onDidSchedule: () => {
        this.pool?.trim();
        this.pool?.warm();
      },
    });
  }

  /** Queues a turn for the task (status → queued) and starts it when a slot is free. */
  enqueue(task: Task, message: string): Task {
    const queued = task.status === 'queued' ? task : this.deps.transitions.move(task.id, 'queued');
    this.scheduler.enqueue(task.id, message);
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
    this.scheduler.schedule();
  }

  isRunning(taskId: string): boolean {
    return this.scheduler.isRunning(taskId);
  }

  /** How many tasks hold a slot right now. */
  get runningCount(): number {
    return this.scheduler.runningCount;
  }

  /** Stops the task's turn (or takes it out of the queue); resolves when its processes are gone. */
  async stop(taskId: string, intent: 'user' | 'shutdown' = 'user'): Promise<void> {
    if (this.scheduler.dequeue(taskId)) {
      this.deps.transitions.move(taskId, 'stopped', 'stopped before it started');
      return;
    }
    const slot = this.scheduler.slotOf(taskId);
    if (!slot) return;
    slot.stopIntent = intent;
    slot.abort.abort();
    slot.handle?.stop();
    await this.scheduler.whenSettled(taskId);
  }

  /** Sends the user's decision to the waiting worker; false when no worker waits any more. */
  answerApproval(taskId: string, requestId: string, decision: ApprovalDecision, grants: TaskGrants): boolean {
    const slot = this.scheduler.slotOf(taskId);
    if (!slot?.handle) return false;
    slot.handle.decide(requestId, decision, grants);
    return true;
  }

  async dispose(): Promise<void> {
    this.isDisposed = true;
    this.scheduler.dispose();
    this.pool?.dispose();
    await Promise.all(this.scheduler.runningTaskIds().map((id) => this.stop(id, 'shutdown')));
  }

  private workerPool(): WorkerPool {
    this.pool ??= new WorkerPool({
      env: workerEnv(this.deps.env),
      wantsSpare: () => this.scheduler.couldUseSpare(),
      ...(this.deps.startChild ? { startChild: this.deps.startChild } : {}),
    });
    return this.pool;
  }

  private async runTurn(taskId: string, message: string, slot: TurnSlot): Promise<void> {
    const { tasks, transitions } = this.deps;
    const task = transitions.move(taskId, 'running');
    const { history, turns } = tasks.agentHistory(taskId);

    const setup = await setUpTaskOnce(this.deps, task, slot.abort.signal);
    if (slot.stopIntent) {
      finishTurn(this.deps, taskId, { kind: 'stopped' }, slot.stopIntent);
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
      const config = await workerStartConfig({ ...this.deps, settings: this.deps.settings(task) }, { task, history, message });
      const pool = this.workerPool();
      slot.handle = (this.deps.startTurn ?? startAgentTurn)({
        config: { ...config, commandTerminal: agentTerminals ? 'pty' : 'pipes' },
        env: workerEnv(this.deps.env),
        pool,
        ...(this.deps.startChild ? { startChild: this.deps.startChild } : {}),
        ...(agentTerminals ? { commandPtys: agentTerminals.commandPtys(taskId) } : {}),
        onEvent: (event) => {
          if (event.type === 'approval_request') return requestApproval(transitions, taskId, event.request, Date.now());
          if (event.type === 'plan_updated') {
            // The worker relays the model's words: checked here, kept on the task (journalled as its change).
            const plan = TaskPlanSchema.safeParse(event.plan);
            if (plan.success) transitions.update(taskId, { plan: plan.data });
            return;
          }
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
    await checkpointTurn(this.deps, task, turns + 1);
    if (outcome.kind === 'done' || outcome.kind === 'failed') tasks.saveAgentHistory(taskId, outcome.history, turns + 1);
    if (outcome.kind === 'done') tasks.addUsage(taskId, outcome.usage);
    // Its repo deleted or moved during the turn: Review would promise a diff and a merge it cannot give.
    const repoGone = repoGoneReason(task.repoPath, task.worktreePath);
    const markersLeft = outcome.kind === 'done' && !repoGone ? await conflictMarkersAfterTurn(this.deps, task) : null;
    finishTurn(this.deps, taskId, repoGone ? { kind: 'failed', reason: repoGone, isSandboxUnavailable: false, history: [] } : outcome, slot.stopIntent, markersLeft);
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
