// From node_modules under Node and Electron alike: node-pty is a Node-API addon, one binary
// for both ABIs (better-sqlite3 is not; see util/nativeModules.ts and its test).
import * as nodePty from 'node-pty';
import type { IPty } from 'node-pty';
import { HostedPty, type HostedPtyOptions } from './hostedPty.js';
import { isHostToPtyHost, type HostToPtyHost, type PtyHostToHost, type PtySpawnRequest } from './ptyHostProtocol.js';
import { errorMessage } from '../util/errorMessage.js';

export type SpawnPty = (request: PtySpawnRequest) => IPty;

export interface PtyHostCoreOptions extends HostedPtyOptions {
  send: (message: PtyHostToHost) => void;
  /** Default: node-pty's spawn. */
  spawnPty?: SpawnPty;
}

const spawnWithNodePty: SpawnPty = (request) =>
  nodePty.spawn(request.file, request.args, {
    cwd: request.cwd,
    env: request.env,
    cols: request.cols,
    rows: request.rows,
    // TERM comes from the env the host built; node-pty would otherwise default it to `xterm`.
    name: request.env.TERM ?? 'xterm-256color',
  });

/**
 * Everything the pty host process does, apart from its IPC port: a table of live ptys and the
 * dispatch of host messages to them. Kept out of ptyHost.ts so it runs in-process in tests.
 */
export class PtyHostCore {
  private readonly ptys = new Map<string, HostedPty>();

  constructor(private readonly opts: PtyHostCoreOptions) {}

  get size(): number {
    return this.ptys.size;
  }

  handle(raw: unknown): void {
    if (!isHostToPtyHost(raw)) return;
    const message: HostToPtyHost = raw;
    if (message.type === 'spawn') return this.spawn(message);
    const pty = this.ptys.get(message.id);
    if (!pty) return;
    switch (message.type) {
      case 'write':
        return pty.write(message.data);
      case 'resize':
        return pty.resize(message.cols, message.rows);
      case 'kill':
        return pty.kill();
      case 'ack':
        return pty.ack(message.chars);
    }
  }

  /** Kills every pty at once (the host is gone, or the pty host is shutting down). */
  dispose(): void {
    for (const pty of [...this.ptys.values()]) pty.destroy();
    this.ptys.clear();
  }

  private spawn(request: PtySpawnRequest): void {
    if (this.ptys.has(request.id)) {
      this.opts.send({ type: 'spawn_failed', id: request.id, reason: `a pty named ${request.id} is already running` });
      return;
    }
    let pty: IPty;
    try {
      pty = (this.opts.spawnPty ?? spawnWithNodePty)(request);
    } catch (error) {
      this.opts.send({ type: 'spawn_failed', id: request.id, reason: errorMessage(error) });
      return;
    }
    const hosted = new HostedPty(request.id, pty, this.opts.send, () => this.ptys.delete(request.id), this.opts);
    this.ptys.set(request.id, hosted);
    this.opts.send({ type: 'spawned', id: request.id, pid: pty.pid });
  }
}
