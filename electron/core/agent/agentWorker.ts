import OpenAI from 'openai';
import { runSandboxed } from '../sandbox/runSandboxed.js';
import { buildInstructions } from './agentInstructions.js';
import { runAgentLoop, type CommandRunner } from './agentLoop.js';
import { CommandGate, type ApprovalAnswer } from './commandGate.js';
import type { ApprovalRequest } from '../../../shared/model/approval.js';
import { oneLine } from './apiErrorReason.js';
import { warmUpHttp } from './httpWarmUp.js';
import { PtyCommands } from './ptyCommands.js';
import { isHostToWorker, type WorkerStartConfig, type WorkerToHost } from './workerProtocol.js';
import { errorMessage } from '../util/errorMessage.js';
import { parentChannel } from '../util/parentChannel.js';

/**
 * The agent worker: a child process the host starts for one turn of one task (see
 * agentRunner.ts): an Electron utility process in the app, a forked Node process headless. It
 * gets its whole config in the `start` message and reports over its parent channel.
 * A crash or a flood here never takes the host down.
 */

/** 5 min: a model may think that long before its first token; beyond it something is wrong. */
const DEFAULT_MODEL_TIMEOUT_MS = 300_000;
/** 700 ms to report a killed command after a stop; the host SIGKILLs us at 1 s anyway. */
const STOP_GRACE_MS = 700;

const stopController = new AbortController();
let turn: Promise<void> | null = null;
let startConfig: WorkerStartConfig | null = null;
let isStopping = false;
let lastSend: Promise<void> = Promise.resolve();
/** The commands this worker runs on ptys the host opens for it (config.commandTerminal 'pty'). */
const ptyCommands = new PtyCommands({ send: (message) => send(message) });

/** The command started and not yet reported finished, if any: a stop must report its end. */
let openCommand: { callId: string; startedAt: number } | null = null;

/** A command whose end the stop already reported: its late real end is not sent again. */
let endReportedByStop: string | null = null;

function send(message: WorkerToHost): void {
  if (message.type === 'command_finished' && message.callId === endReportedByStop) return;
  if (message.type === 'command_started') openCommand = { callId: message.callId, startedAt: Date.now() };
  if (message.type === 'command_finished' && openCommand?.callId === message.callId) openCommand = null;
  lastSend = host.send(message);
}

/** Exits once every message sent so far has reached the channel. */
async function exitAfterFlush(code: number): Promise<never> {
  await lastSend;
  process.exit(code);
}

function modelTimeoutMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env.FLOTILLA_MODEL_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_MODEL_TIMEOUT_MS;
}

async function runTurn(config: WorkerStartConfig): Promise<void> {
  try {
    const timeout = modelTimeoutMs(process.env);
    const client = new OpenAI({
      // undefined lets the SDK read OPENAI_BASE_URL, else its default endpoint.
      baseURL: config.baseURL ?? undefined,
      // Local servers (Ollama…) need no key, but the SDK insists on one.
      apiKey: config.apiKey || process.env.OPENAI_API_KEY || 'not-set',
      // The SDK retries 408/409/429/5xx and connection failures with backoff.
      maxRetries: 3,
      timeout,
    });
    const isOnPty = config.commandTerminal === 'pty';
    const runCommand: CommandRunner = (command, { onOutput, signal, spec, callId }) =>
      runSandboxed(spec, command, {
        onOutput,
        signal,
        timeoutMs: config.commandTimeoutMs,
        hiddenPaths: config.hiddenPaths,
        ...(config.bwrapPath ? { bwrapPath: config.bwrapPath } : {}),
        // On a pty in the host's pty host: live in the Agent terminal, in colour, as on a terminal.
        ...(isOnPty ? { spawner: ptyCommands.spawner(callId) } : {}),
      });
    const gate = new CommandGate({
      spec: config.sandbox,
      approval: config.approval,
      grants: config.grants,
      hiddenPaths: config.hiddenPaths,
      ask: askUser,
    });
    const end = await runAgentLoop(config, {
      client,
      runCommand,
      gate,
      emit: send,
      instructions: config.instructions ?? (await buildInstructions(config.worktreePath)),
      signal: stopController.signal,
      streamIdleMs: timeout,
    });
    if (end.type === 'stopped' || isStopping) return;
    send(end);
  } catch (error) {
    if (isStopping) return;
    const reason = oneLine(`agent worker error: ${errorMessage(error)}`);
    send({ type: 'turn_failed', kind: 'internal', reason, history: config.history });
  }
  await exitAfterFlush(0);
}

/** On 'stop' or when the host goes away: kill the running command, report it, exit. */
async function stop(): Promise<void> {
  if (isStopping) return;
  isStopping = true;
  stopController.abort();
  if (turn) await Promise.race([turn, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS))]);
  // Its processes got SIGKILL at the abort, but on a loaded machine their teardown can outlast
  // the grace: report the end we caused rather than leave the command running in the journal.
  if (openCommand) {
    const { callId, startedAt } = openCommand;
    send({ type: 'command_finished', callId, exitCode: null, durationMs: Date.now() - startedAt, isKilled: true });
    endReportedByStop = callId;
  }
  await exitAfterFlush(0);
}

function reportCrash(error: unknown): void {
  const reason = oneLine(`agent worker crashed: ${errorMessage(error)}`);
  // The earlier turns' history stays valid: this turn's items are lost, not the task's.
  send({ type: 'turn_failed', kind: 'internal', reason, history: startConfig?.history ?? [] });
  void exitAfterFlush(1);
}

const channel = parentChannel();
if (!channel) {
  process.stderr.write('agentWorker is started by the Flotilla host (utilityProcess.fork or child_process.fork with IPC)\n');
  process.exit(2);
}
/** The host, over whichever channel started us (checked just above). */
const host = channel;
process.on('uncaughtException', reportCrash);
process.on('unhandledRejection', reportCrash);
host.onDisconnect(() => void stop());
// While waiting for a turn (a spare is forked ahead): the first model call then starts warm.
void warmUpHttp();
/** Approval requests waiting for the host's answer, by request id. */
const pendingApprovals = new Map<string, (answer: ApprovalAnswer) => void>();

/** Sends the request to the host and waits for the user; a stop ends the wait (the turn is over). */
function askUser(request: Omit<ApprovalRequest, 'requestedAt'>): Promise<ApprovalAnswer> {
  return new Promise((resolve, reject) => {
    pendingApprovals.set(request.requestId, resolve);
    stopController.signal.addEventListener('abort', () => reject(new Error('stopped while waiting for approval')), { once: true });
    send({ type: 'approval_request', request });
  });
}

host.onMessage((raw: unknown) => {
  if (!isHostToWorker(raw)) return;
  if (raw.type === 'stop') return void stop();
  if (raw.type === 'pty_opened' || raw.type === 'pty_output' || raw.type === 'pty_failed' || raw.type === 'pty_exit') return ptyCommands.handle(raw);
  if (raw.type === 'approval_decision') {
    const resolve = pendingApprovals.get(raw.requestId);
    pendingApprovals.delete(raw.requestId);
    resolve?.({ decision: raw.decision, grants: raw.grants });
    return;
  }
  if (turn || isStopping) return; // one turn per worker
  startConfig = raw.config;
  turn = runTurn(raw.config);
});
