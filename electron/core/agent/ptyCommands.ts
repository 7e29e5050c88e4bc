import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SandboxUnavailableError, type CommandLaunch, type CommandResult, type CommandSpawner, type SpawnOptions } from '../sandbox/commandSpawner.js';
import { OutputCollector } from '../sandbox/outputCollector.js';
import { PlainTerminalText } from './plainTerminalText.js';
import type { HostPtyMessage, PtyExit, WorkerPtyMessage } from './workerProtocol.js';

/**
 * 3 s for the host to report the end of a command we killed. It normally takes milliseconds
 * (bwrap's pid namespace dies with it); past this the host or its pty host is stuck, and the
 * turn must not hang on it.
 */
const EXIT_REPORT_GRACE_MS = 3_000;

/** What the host may say about one pty; the spawner below acts on it. */
interface PtyListener {
  opened(pid: number): void;
  output(data: string): void;
  failed(reason: string): void;
  exit(exit: PtyExit): void;
}

export interface PtyCommandsOptions {
  /** Sends one message to the host (process.send in the worker). */
  send: (message: WorkerPtyMessage) => void;
}

/**
 * The agent worker's side of "commands run on a pty in the pty host": a CommandSpawner that asks
 * the host (over the worker's IPC channel) to open a pty for the launch runSandboxed prepared,
 * collects its output and reports the result as the pipe spawner does, every limit included.
 *
 * The command's raw output (colours, progress bars) goes to the task's Agent terminal on the
 * host; what the model and the transcript get is its plain text (PlainTerminalText), capped.
 * Output is acknowledged as soon as it arrives: the worker only collects, the Agent terminal's
 * viewers are the ones that hold a fast command back.
 */
export class PtyCommands {
  private readonly listeners = new Map<string, PtyListener>();

  constructor(private readonly opts: PtyCommandsOptions) {}

  /** A spawner for the command that answers function call `callId`. */
  spawner(callId: string): CommandSpawner {
    return { hasOwnTerminal: true, spawn: (launch, spawnOpts) => this.spawn(callId, launch, spawnOpts) };
  }

  /** One message from the host about a pty; messages for ptys no longer running are ignored. */
  handle(message: HostPtyMessage): void {
    const listener = this.listeners.get(message.ptyId);
    if (!listener) return;
    switch (message.type) {
      case 'pty_opened':
        return listener.opened(message.pid);
      case 'pty_output':
        return listener.output(message.data);
      case 'pty_failed':
        return listener.failed(message.reason);
      case 'pty_exit':
        return listener.exit({ exitCode: message.exitCode, signal: message.signal, reason: message.reason });
    }
  }

  private spawn(callId: string, launch: CommandLaunch, opts: SpawnOptions): Promise<CommandResult> {
    const ptyId = randomUUID();
    const send = this.opts.send;
    const startedAt = performance.now();
    return new Promise<CommandResult>((resolve, reject) => {
      let pid: number | null = null;
      let isKilled = false;
      let isSettled = false;
      let exitGuard: NodeJS.Timeout | undefined;
      const plain = new PlainTerminalText();

      const kill = () => {
        if (isSettled || isKilled) return;
        isKilled = true;
        // The host kills it too (and would, should this worker die), but a kill from here does
        // not wait for a round trip: the pty's program leads its process group, bwrap's pid
        // namespace takes the rest. Before 'pty_opened' there is no pid yet: see opened().
        if (pid !== null) killGroupOf(pid);
        void opts.cgroup?.killAll();
        send({ type: 'pty_kill', ptyId });
        exitGuard = setTimeout(() => finish({ exitCode: null, signal: null, reason: 'the terminal host did not report the end of the command' }), EXIT_REPORT_GRACE_MS);
      };
      const collector = new OutputCollector({ maxChars: opts.maxOutputChars, onOutput: opts.onOutput, onCapReached: kill });
      const keep = (text: string) => {
        if (text !== '') collector.push('stdout', Buffer.from(text));
      };
      const timer = setTimeout(kill, opts.timeoutMs);
      opts.signal?.addEventListener('abort', kill, { once: true });

      const settle = (): boolean => {
        if (isSettled) return false;
        isSettled = true;
        this.listeners.delete(ptyId);
        clearTimeout(timer);
        clearTimeout(exitGuard);
        opts.signal?.removeEventListener('abort', kill);
        return true;
      };

      const finish = (exit: PtyExit) => {
        if (!settle()) return;
        // Without a pid namespace (full access) what the command left behind goes with it, as
        // with pipes; after a crash of the pty host nothing else would end it. The group id
        // cannot be reused while members remain, so this reaches only our own leftovers.
        if (pid !== null && (launch.killsLeftoversOnExit || exit.reason !== null)) killGroupOf(pid);
        if (launch.killsLeftoversOnExit || exit.reason !== null) void opts.cgroup?.killAll();
        keep(plain.end());
        collector.end();
        const isInterrupted = exit.reason !== null && !isKilled;
        resolve({
          // Ended by a signal we did not send (Ctrl-C from the Agent terminal): 128 + N, as a shell says.
          exitCode: isKilled || exit.reason !== null ? null : exit.signal !== null ? 128 + exit.signal : exit.exitCode,
          isKilled: isKilled || isInterrupted,
          output: collector.output,
          isTruncated: collector.isTruncated,
          durationMs: Math.round(performance.now() - startedAt),
          ...(isInterrupted ? { interruption: `its terminal went away (${exit.reason}); the command was ended` } : {}),
        });
      };

      this.listeners.set(ptyId, {
        opened: (openedPid) => {
          pid = openedPid;
          // Killed while the host was still opening it: finish the job now.
          if (isKilled) killGroupOf(openedPid);
        },
        output: (data) => {
          send({ type: 'pty_ack', ptyId, chars: data.length });
          keep(plain.push(data));
        },
        failed: (reason) => {
          if (!settle()) return;
          // The probe passed a moment ago: a missing binary now is the sandbox vanishing.
          const isMissing = launch.missingReason !== null && /ENOENT|no such file|not found/i.test(reason);
          reject(isMissing ? new SandboxUnavailableError(launch.missingReason ?? reason) : new Error(`the command's terminal did not start: ${reason}`));
        },
        exit: finish,
      });
      send({ type: 'pty_open', ptyId, callId, file: launch.file, args: launch.args, cwd: launch.cwd, env: launch.env });
      if (opts.signal?.aborted) kill();
    });
  }
}

/**
 * SIGKILLs the process group a pty's program leads (a session leader cannot leave its group).
 * The group alone, never the pid: after the exit the pid may belong to someone else, while a
 * group id is not reused as long as one of its members lives.
 */
function killGroupOf(pid: number): void {
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left in the group.
  }
}
