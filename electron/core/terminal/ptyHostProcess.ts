import { forkChild, type ChildConnection, type StartChild } from '../util/childConnection.js';
import { builtScript } from '../util/paths.js';
import { isPtyHostToHost, type HostToPtyHost, type PtyHostToHost } from './ptyHostProtocol.js';

/** The host's handle on a running pty host: a helper process speaking ptyHostProtocol. */
export interface PtyHostConnection {
  readonly pid: number | undefined;
  send(message: HostToPtyHost): void;
  /** Every valid message, in order. Set once, before the first message can arrive. */
  onMessage(listener: (message: PtyHostToHost) => void): void;
  /** Once, after the last message, when the process is gone: why, in a few words. */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
}

export type StartPtyHost = () => PtyHostConnection;

export interface StartPtyHostOptions {
  /** How to start the process: a Node child (default) or, in the app, an Electron utility process. */
  startChild?: StartChild;
  /** Default: the built ptyHost.js in out/. */
  script?: string;
  /** The pty host's own env; each pty gets the env given with its spawn. Default: the host's. */
  env?: NodeJS.ProcessEnv;
}

/** Starts a pty host process; anything it sends that is not ptyHostProtocol is ignored. */
export function startPtyHost(opts: StartPtyHostOptions = {}): PtyHostConnection {
  const script = opts.script ?? builtScript('electron/core/terminal/ptyHost.js');
  return ptyHostOver((opts.startChild ?? forkChild)({ script, env: opts.env ?? process.env, name: 'pty host' }));
}

/** Starts the pty host as a plain Node child process (headless mode and tests). */
export function forkPtyHost(opts: Omit<StartPtyHostOptions, 'startChild'> = {}): PtyHostConnection {
  return startPtyHost(opts);
}

function ptyHostOver(child: ChildConnection): PtyHostConnection {
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => child.send(message),
    onMessage: (listener) =>
      child.onMessage((raw) => {
        if (isPtyHostToHost(raw)) listener(raw);
      }),
    onExit: (listener) => child.onExit(listener),
    kill: () => child.kill(),
  };
}
