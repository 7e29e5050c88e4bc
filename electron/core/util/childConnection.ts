import { fork } from 'node:child_process';
import os from 'node:os';
import { tailStderr } from './stderrTail.js';

/**
 * The host's handle on one helper process (the pty host, an agent worker), whatever started it:
 * a Node child process (`forkChild`, headless mode and tests) or an Electron utility process
 * (electron/main/utilityProcessStarter.ts). Messages are structured-cloned both ways, so the
 * same protocol objects pass through either; callers validate what they receive.
 */
export interface ChildConnection {
  /** undefined until the OS gave it one (a utility process learns it on 'spawn') or if it never started. */
  readonly pid: number | undefined;
  /** Running and reachable: false once it exited, failed to start, or its channel closed. */
  readonly isConnected: boolean;
  /** Dropped silently once the process is gone: `onExit` reports that. */
  send(message: unknown): void;
  /** Every message, in order. Set once, right after starting (before any message can arrive). */
  onMessage(listener: (message: unknown) => void): void;
  /**
   * Once, after the last message, when the process is gone: why, in a few words
   * (`exited with code 1: Error: …`, `killed by SIGKILL`). Called at once if it is gone already.
   */
  onExit(listener: (reason: string) => void): void;
  /** Ends it now (SIGKILL where the platform has it). Safe to call twice. */
  kill(): void;
}

export interface ChildSpec {
  /** The built script to run (absolute path). */
  script: string;
  /** Its whole environment. */
  env: NodeJS.ProcessEnv;
  /** What it is, for process lists and logs (`agent worker`, `pty host`). */
  name: string;
  /** Unix nice value to run at (higher: lower priority); default the host's own. */
  niceness?: number;
}

/** How the host starts helper processes; one function so Electron can swap in utility processes. */
export type StartChild = (spec: ChildSpec) => ChildConnection;

/** Starts the helper as a plain Node child process with an IPC channel (headless mode and tests). */
export const forkChild: StartChild = (spec) => {
  const child = fork(spec.script, [], {
    env: spec.env,
    // The host's own flags (inspector, loaders) must not leak into the helper.
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  if (spec.niceness !== undefined) lowerPriority(child.pid, spec.niceness);
  const exit = new ExitReport();
  const stderr = tailStderr(child);
  let messageListener: (message: unknown) => void = () => {};
  let exitReason = '';

  child.on('message', (message: unknown) => messageListener(message));
  child.on('exit', (code, signal) => {
    exitReason = signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
  });
  // 'close' comes after 'exit' and after the IPC channel is drained: no message is lost.
  child.on('close', () => exit.report(stderr.explain(exitReason || 'exited')));
  child.on('error', (error) => {
    // Spawn failures never get an 'exit'; errors of a live child are followed by one.
    if (child.pid === undefined) exit.report(`not started: ${error.message}`);
  });

  return {
    get pid() {
      return child.pid;
    },
    get isConnected() {
      return child.connected && child.exitCode === null && child.signalCode === null;
    },
    send(message) {
      if (!child.connected) return;
      try {
        child.send(message as object);
      } catch {
        // Already gone; 'close' reports it.
      }
    },
    onMessage(listener) {
      messageListener = listener;
    },
    onExit: (listener) => exit.listen(listener),
    kill() {
      child.kill('SIGKILL');
    },
  };
};

/**
 * The end of a helper process, reported once to one listener; a listener set after the end
 * hears it on the next microtask (a spare worker may die before anyone listens).
 */
export class ExitReport {
  private reason: string | null = null;
  private listener: ((reason: string) => void) | null = null;

  get hasEnded(): boolean {
    return this.reason !== null;
  }

  report(reason: string): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.listener?.(reason);
  }

  listen(listener: (reason: string) => void): void {
    this.listener = listener;
    const reason = this.reason;
    if (reason !== null) queueMicrotask(() => listener(reason));
  }
}

/** Best effort: where the OS refuses, the helper just runs at normal priority. */
export function lowerPriority(pid: number | undefined, niceness: number): void {
  if (pid === undefined) return;
  try {
    os.setPriority(pid, niceness);
  } catch {
    // Not allowed on this system.
  }
}
