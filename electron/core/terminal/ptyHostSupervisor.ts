import { failure, type Failure } from '../../../shared/contract.js';
import { startPtyHost, type PtyHostConnection, type StartPtyHost } from './ptyHostProcess.js';
import type { HostToPtyHost, PtyHostToHost } from './ptyHostProtocol.js';
import type { TerminalExit } from './terminalSession.js';
import { errorMessage } from '../util/errorMessage.js';

/**
 * Keeps a pty host process for the terminal service: starts it on the first spawn, starts a new
 * one right after a crash, and routes each pty's output and exit to its endpoint. A crash ends
 * every pty of the dead process (and every spawn still waiting) with `PTY_HOST_CRASHED`.
 */

export const PTY_HOST_CRASHED = 'pty host crashed';

/**
 * 3 crashes within 60 s: something kills it at start (a broken native module, the OOM killer);
 * restarting at once would loop, so the next one starts with the next terminal instead.
 */
const RESTART_BURST = 3;
const RESTART_WINDOW_MS = 60_000;

/** Where a pty's output goes (a session, or a command shown in a feed). */
export interface PtyEndpoint {
  handleData(data: string): void;
  handleExit(exit: TerminalExit): void;
}

export interface PtySpec {
  cwd: string;
  /** The program and its arguments, e.g. ['bash', '-l'] or a bwrap command line. */
  argv: string[];
  /** The program's whole environment. TERM defaults to xterm-256color. */
  env: Record<string, string>;
  cols: number;
  rows: number;
}

/** Messages for one pty that exists already (spawning goes through `spawn`). */
type PtyMessage = Extract<HostToPtyHost, { type: 'write' | 'resize' | 'kill' }>;

export interface PtyHostSupervisorOptions {
  /** Default: fork out/electron/core/terminal/ptyHost.js with plain Node. */
  startPtyHost?: StartPtyHost;
  /** How long (ms) the pty host has to answer a spawn. */
  spawnTimeoutMs: number;
  /**
   * The pty host process died; its ptys have been ended already. `isRestarted`: a new one runs
   * already (else one starts with the next terminal).
   */
  onDidCrash?: (reason: string, isRestarted: boolean) => void;
  /** For crash-loop detection; default Date.now. */
  clock?: () => number;
}

interface PendingSpawn {
  /** Makes the pty's endpoint on 'spawned', before any output can arrive. */
  create: (pid: number) => PtyEndpoint;
  resolve: (result: { ok: true; pid: number } | Failure) => void;
}

/** One running pty host and what lives in it. */
interface PtyHostGeneration {
  connection: PtyHostConnection;
  ptys: Map<string, PtyEndpoint>;
  pendingSpawns: Map<string, PendingSpawn>;
  isDead: boolean;
}

export class PtyHostSupervisor {
  private generation: PtyHostGeneration | null = null;
  private isDisposed = false;
  /** When the last crashes happened (ms), newest last, at most RESTART_BURST of them. */
  private readonly crashTimes: number[] = [];

  constructor(private readonly opts: PtyHostSupervisorOptions) {}

  /**
   * Starts a pty in the pty host. `create` makes where its output goes once it runs; its `ack`
   * gives consumed chars back to the pty host that runs it (and to no later one).
   */
  async spawn(id: string, spec: PtySpec, create: (pid: number, ack: (chars: number) => void) => PtyEndpoint): Promise<{ ok: true; pid: number } | Failure> {
    if (this.isDisposed) return failure('invalid_state', 'the terminal service is shut down');
    const [file, ...args] = spec.argv;
    if (!file) return failure('invalid_input', 'no program to run');
    let generation: PtyHostGeneration;
    try {
      generation = this.ensurePtyHost();
    } catch (error) {
      return failure('invalid_state', `the pty host did not start: ${errorMessage(error)}`);
    }
    const env = { TERM: 'xterm-256color', ...spec.env };
    const ack = (chars: number) => {
      if (!generation.isDead) generation.connection.send({ type: 'ack', id, chars });
    };
    return new Promise<{ ok: true; pid: number } | Failure>((resolve) => {
      const timer = setTimeout(() => {
        generation.pendingSpawns.delete(id);
        resolve(failure('invalid_state', 'the pty host did not answer'));
      }, this.opts.spawnTimeoutMs);
      generation.pendingSpawns.set(id, {
        create: (pid) => create(pid, ack),
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      });
      generation.connection.send({ type: 'spawn', id, file, args, cwd: spec.cwd, env, cols: spec.cols, rows: spec.rows });
    });
  }

  /** A spawn of this id waits for the pty host's answer. */
  isSpawning(id: string): boolean {
    return this.generation?.pendingSpawns.has(id) ?? false;
  }

  /** The pty runs in the live pty host (it has not exited, and its host has not crashed). */
  isRunning(id: string): boolean {
    return this.generationOf(id) !== null;
  }

  /** Sends to the pty when it still runs; a message for a pty that is gone is dropped. */
  send(message: PtyMessage): void {
    this.generationOf(message.id)?.connection.send(message);
  }

  /** Stops routing the pty's output and exit (its endpoint is gone). */
  forget(id: string): void {
    this.generationOf(id)?.ptys.delete(id);
  }

  /** The pty host's pid, or undefined while none runs. */
  get pid(): number | undefined {
    return this.generation?.connection.pid;
  }

  /** Kills the pty host (and with it every pty) without reporting their exits. Safe to call twice. */
  dispose(): void {
    this.isDisposed = true;
    const generation = this.generation;
    this.generation = null;
    if (!generation) return;
    generation.isDead = true;
    for (const pending of generation.pendingSpawns.values()) pending.resolve(failure('invalid_state', 'the terminal service is shut down'));
    generation.connection.kill();
  }

  private generationOf(id: string): PtyHostGeneration | null {
    const generation = this.generation;
    return generation && !generation.isDead && generation.ptys.has(id) ? generation : null;
  }

  private ensurePtyHost(): PtyHostGeneration {
    if (this.generation && !this.generation.isDead) return this.generation;
    const connection = (this.opts.startPtyHost ?? (() => startPtyHost()))();
    const generation: PtyHostGeneration = { connection, ptys: new Map(), pendingSpawns: new Map(), isDead: false };
    connection.onMessage((message) => this.handleMessage(generation, message));
    connection.onExit((reason) => this.handleExit(generation, reason));
    this.generation = generation;
    return generation;
  }

  private handleMessage(generation: PtyHostGeneration, message: PtyHostToHost): void {
    if (generation.isDead) return;
    switch (message.type) {
      case 'data':
        generation.ptys.get(message.id)?.handleData(message.data);
        return;
      case 'exit': {
        const endpoint = generation.ptys.get(message.id);
        if (!endpoint) return;
        generation.ptys.delete(message.id);
        return endpoint.handleExit({ exitCode: message.exitCode, signal: message.signal === 0 ? null : message.signal, reason: null });
      }
      case 'spawned': {
        const pending = generation.pendingSpawns.get(message.id);
        generation.pendingSpawns.delete(message.id);
        if (!pending) {
          // Nobody waits any more (timed out): do not leave an orphan running.
          generation.connection.send({ type: 'kill', id: message.id });
          return;
        }
        generation.ptys.set(message.id, pending.create(message.pid));
        return pending.resolve({ ok: true, pid: message.pid });
      }
      case 'spawn_failed': {
        const pending = generation.pendingSpawns.get(message.id);
        generation.pendingSpawns.delete(message.id);
        return pending?.resolve(failure('invalid_state', `the terminal did not start: ${message.reason}`));
      }
      case 'flow':
        return;
    }
  }

  private handleExit(generation: PtyHostGeneration, reason: string): void {
    if (generation.isDead) return;
    generation.isDead = true;
    if (this.generation === generation) this.generation = null;
    const crash = `${PTY_HOST_CRASHED} (${reason})`;
    for (const pending of generation.pendingSpawns.values()) pending.resolve(failure('invalid_state', crash));
    generation.pendingSpawns.clear();
    for (const endpoint of generation.ptys.values()) endpoint.handleExit({ exitCode: null, signal: null, reason: crash });
    generation.ptys.clear();
    this.opts.onDidCrash?.(reason, this.restartAfterCrash());
  }

  /** Starts the next pty host now, so terminals open at once again; false in a crash loop. */
  private restartAfterCrash(): boolean {
    if (this.isDisposed) return false;
    const now = (this.opts.clock ?? Date.now)();
    this.crashTimes.push(now);
    if (this.crashTimes.length > RESTART_BURST) this.crashTimes.shift();
    const oldest = this.crashTimes[0] ?? now;
    if (this.crashTimes.length === RESTART_BURST && now - oldest < RESTART_WINDOW_MS) return false;
    try {
      this.ensurePtyHost();
      return true;
    } catch {
      return false; // The next spawn tries again and reports why.
    }
  }
}
