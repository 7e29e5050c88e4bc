import { fork, type ChildProcess } from 'node:child_process';
import { builtScript } from '../util/paths.js';
import { isPtyHostToHost, type HostToPtyHost, type PtyHostToHost } from './ptyHostProtocol.js';
import { tailStderr } from '../util/stderrTail.js';

/** The host's handle on a running pty host, whatever started it (fork here, utilityProcess in Electron). */
export interface PtyHostConnection {
  readonly pid: number | undefined;
  send(message: HostToPtyHost): void;
  /** Every message, in order. Set once, before the first message can arrive. */
  onMessage(listener: (message: PtyHostToHost) => void): void;
  /** Once, after the last message, when the process is gone: why, in a few words. */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
}

export type StartPtyHost = () => PtyHostConnection;

export interface ForkPtyHostOptions {
  /** Default: the built ptyHost.js in out/. */
  script?: string;
  /** The pty host's own env; each pty gets the env given with its spawn. Default: the host's. */
  env?: NodeJS.ProcessEnv;
}


/** Starts the pty host as a plain Node child process (headless mode and tests). */
export function forkPtyHost(opts: ForkPtyHostOptions = {}): PtyHostConnection {
  const script = opts.script ?? builtScript('electron/core/terminal/ptyHost.js');
  const child: ChildProcess = fork(script, [], {
    env: opts.env ?? process.env,
    // The host's own flags (inspector, loaders) must not leak into the pty host.
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let messageListener: (message: PtyHostToHost) => void = () => {};
  let exitListener: (reason: string) => void = () => {};
  let exitReason = '';
  let hasClosed = false;

  const stderr = tailStderr(child);
  child.on('message', (raw: unknown) => {
    if (isPtyHostToHost(raw)) messageListener(raw);
  });
  child.on('exit', (code, signal) => {
    exitReason = signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
  });
  const close = (reason: string) => {
    if (hasClosed) return;
    hasClosed = true;
    exitListener(stderr.explain(reason));
  };
  // 'close' comes after 'exit' and after the IPC channel is drained: no message is lost.
  child.on('close', () => close(exitReason || 'exited'));
  child.on('error', (error) => {
    // Spawn failures never get an 'exit'; errors of a live child are followed by one.
    if (child.pid === undefined) close(`not started: ${error.message}`);
  });

  return {
    pid: child.pid,
    send(message) {
      if (!child.connected) return;
      try {
        child.send(message);
      } catch {
        // The pty host is already gone; 'close' reports it.
      }
    },
    onMessage(listener) {
      messageListener = listener;
    },
    onExit(listener) {
      exitListener = listener;
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}
