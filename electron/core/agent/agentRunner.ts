import { forkChild, type ChildConnection, type StartChild } from '../util/childConnection.js';
import { builtScript } from '../util/paths.js';
import { isWorkerPtyMessage, isWorkerToHost, type WorkerEvent, type WorkerStartConfig, type HostToWorker } from './workerProtocol.js';
import type { ApprovalDecision, TaskGrants } from '../../../shared/model/approval.js';
import type { CommandPtyHost } from './commandPtyHost.js';
import { CommandPtyBridge } from './commandPtyBridge.js';
import { errorMessage } from '../util/errorMessage.js';

export type TurnOutcome =
  | { kind: 'done'; history: unknown[]; usage: { inputTokens: number; outputTokens: number } }
  | { kind: 'failed'; reason: string; isSandboxUnavailable: boolean; history: unknown[] }
  | { kind: 'stopped' }
  /** The worker exited without turn_done/turn_failed (e.g. kill -9). */
  | { kind: 'crashed'; reason: string };

export interface AgentTurnHandle {
  readonly done: Promise<TurnOutcome>;
  /** Asks the worker to stop; it is SIGKILLed 1 s later if still alive. Safe to call twice. */
  stop(): void;
  /** Answers the worker's pending approval request. */
  decide(requestId: string, decision: ApprovalDecision, grants: TaskGrants): void;
  readonly pid: number | undefined;
}

export interface StartAgentTurnOptions {
  config: WorkerStartConfig;
  /** The worker's whole env (the host passes OPENAI_API_KEY / OPENAI_BASE_URL; see workerEnv). */
  env: NodeJS.ProcessEnv;
  /** How to start the worker process: a Node child (default) or, in the app, an Electron utility process. */
  startChild?: StartChild;
  /** Every event of the turn, in order, before `done` resolves. */
  onEvent: (event: WorkerEvent) => void;
  /** Default: the built agentWorker.js in out/. */
  workerScript?: string;
  /** Hands out a worker forked ahead of time (its Node start and imports already paid). */
  pool?: WorkerPool;
  /**
   * Opens the ptys the worker asks for (config.commandTerminal 'pty'). Without it such a request
   * fails and the command is reported as not run.
   */
  commandPtys?: CommandPtyHost;
}

/** 1 s: the worker needs ~0.7 s at most to kill its command and report it. */
const STOP_KILL_AFTER_MS = 1_000;

/**
 * Runs one agent turn in its own process (agentWorker.js): a crash, a hang or a flood there
 * never blocks the host. `done` resolves once the process is gone and every event was delivered.
 */
export function startAgentTurn(opts: StartAgentTurnOptions): AgentTurnHandle {
  let script: string;
  try {
    script = opts.workerScript ?? builtScript('electron/core/agent/agentWorker.js');
  } catch (error) {
    const reason = `agent worker not started: ${errorMessage(error)}`;
    return { done: Promise.resolve({ kind: 'crashed', reason }), stop: () => {}, decide: () => {}, pid: undefined };
  }

  let child: ChildConnection;
  try {
    child = opts.pool?.take() ?? startWorker(opts.startChild ?? forkChild, script, opts.env);
  } catch (error) {
    const reason = `agent worker not started: ${errorMessage(error)}`;
    return { done: Promise.resolve({ kind: 'crashed', reason }), stop: () => {}, decide: () => {}, pid: undefined };
  }

  let outcome: TurnOutcome | null = null;
  let isStopRequested = false;
  let isFinished = false;
  let killTimer: NodeJS.Timeout | null = null;
  let resolveDone: (outcome: TurnOutcome) => void = () => {};
  const done = new Promise<TurnOutcome>((resolve) => (resolveDone = resolve));

  const send = (message: HostToWorker) => child.send(message);
  const ptys = new CommandPtyBridge({ host: opts.commandPtys ?? null, send });

  // After the last message, once the process is gone (whichever way it started).
  child.onExit((reason) => {
    if (isFinished) return;
    isFinished = true;
    if (killTimer) clearTimeout(killTimer);
    // The commands run in the pty host, not under the worker: they must not outlive it.
    ptys.dispose();
    if (outcome) return resolveDone(outcome);
    if (isStopRequested) return resolveDone({ kind: 'stopped' });
    resolveDone({ kind: 'crashed', reason: `agent worker ${reason}` });
  });
  child.onMessage((raw: unknown) => {
    if (!isWorkerToHost(raw)) return;
    // Even after the outcome: a command still running must be able to end properly.
    if (isWorkerPtyMessage(raw)) return ptys.handle(raw);
    if (outcome) return;
    if (raw.type === 'turn_done') {
      // After stop() the turn counts as stopped, unless it had already ended.
      if (!isStopRequested) outcome = { kind: 'done', history: raw.history, usage: raw.usage };
    } else if (raw.type === 'turn_failed') {
      if (!isStopRequested) {
        outcome = {
          kind: 'failed',
          reason: raw.reason,
          isSandboxUnavailable: raw.kind === 'sandbox_unavailable',
          history: raw.history,
        };
      }
    } else {
      opts.onEvent(raw);
    }
  });
  send({ type: 'start', config: opts.config });

  return {
    done,
    get pid() {
      return child.pid;
    },
    stop: () => {
      if (isFinished || isStopRequested) return;
      isStopRequested = true;
      send({ type: 'stop' });
      killTimer = setTimeout(() => child.kill(), STOP_KILL_AFTER_MS);
    },
    decide: (requestId, decision, grants) => send({ type: 'approval_decision', requestId, decision, grants }),
  };
}

/**
 * Nice 10 for the worker and, by inheritance, every command it runs: with 32 busy agents on a
 * few cores the host and the UI still get the CPU first (measured by the `board` benchmark:
 * the host's API p50 fell from ~0.2–1.7 s to ~25–48 ms under load).
 */
const WORKER_NICENESS = 10;

function startWorker(startChild: StartChild, script: string, env: NodeJS.ProcessEnv): ChildConnection {
  return startChild({ script, env, name: 'agent worker', niceness: WORKER_NICENESS });
}

export interface WorkerPoolOptions {
  env: NodeJS.ProcessEnv;
  workerScript?: string;
  /** How to start workers: a Node child (default) or, in the app, an Electron utility process. */
  startChild?: StartChild;
  /**
   * Whether a spare is worth its memory now; default always. The task runner says no while
   * every slot is taken: no turn could start on it until one ends.
   */
  wantsSpare?: () => boolean;
}

/**
 * One agent worker forked ahead of time, so a task starts without waiting ~0.4 s for Node and
 * the SDK to load (measured by the `worktree` benchmark). It costs one idle worker's memory
 * (~66 MB, the `fleet` benchmark), so it is kept only while `wantsSpare` says a turn could use
 * it. A spare that died while waiting is replaced, never handed out.
 */
export class WorkerPool {
  private spare: ChildConnection | null = null;
  private isDisposed = false;

  constructor(private readonly opts: WorkerPoolOptions) {}

  /** A live worker waiting for its `start` message; forks one now if no spare is ready. */
  take(): ChildConnection {
    const spare = this.spare;
    this.spare = null;
    const child = spare?.isConnected ? spare : this.fork();
    if (spare && child !== spare) spare.kill();
    // Replace it once this turn's own start is under way.
    setImmediate(() => this.warm());
    return child;
  }

  /** The waiting spare's pid, if one is ready (for tests and diagnostics). */
  get sparePid(): number | undefined {
    return this.spare?.pid;
  }

  /** Forks the spare if there is none and one is wanted. */
  warm(): void {
    if (this.isDisposed || this.spare || !this.isSpareWanted()) return;
    try {
      this.spare = this.fork();
    } catch {
      this.spare = null; // A failing fork shows up when a turn takes a worker.
    }
  }

  /** Ends the waiting spare if it is no longer wanted (every slot just got taken). */
  trim(): void {
    if (!this.spare || this.isSpareWanted()) return;
    this.spare.kill();
    this.spare = null;
  }

  dispose(): void {
    this.isDisposed = true;
    this.spare?.kill();
    this.spare = null;
  }

  private isSpareWanted(): boolean {
    return this.opts.wantsSpare?.() ?? true;
  }

  private fork(): ChildConnection {
    const script = this.opts.workerScript ?? builtScript('electron/core/agent/agentWorker.js');
    return startWorker(this.opts.startChild ?? forkChild, script, this.opts.env);
  }
}
