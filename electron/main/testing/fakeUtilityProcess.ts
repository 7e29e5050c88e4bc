import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ForkOptions } from 'electron';
import type { UtilityChild, UtilityProcessModule } from '../utilityProcessStarter.js';

/**
 * Electron's `utilityProcess` without Electron: each fork is a real Node process running the real
 * script, with `process.parentPort` installed before it loads (and `process.send` taken away), so
 * the helper takes its utility-process code path and talks through `parentPort.postMessage` as it
 * does in the app. Records every fork, so tests can say which helpers went this way.
 */
export interface FakeUtilityProcess extends UtilityProcessModule {
  readonly forks: Array<{ modulePath: string; options: ForkOptions | undefined; env: NodeJS.ProcessEnv; child: UtilityChild }>;
  /** Kills whatever still runs and removes the shim. */
  dispose(): void;
}

/**
 * Installed with `--import`: the shape of Electron's parentPort over Node's IPC channel. As
 * Electron's, it holds messages until the script listens (its port starts on the first listener).
 */
const PARENT_PORT_SHIM = `
const send = process.send.bind(process);
const listeners = [];
const early = [];
process.on('message', (data) => {
  if (listeners.length === 0) early.push(data);
  for (const listener of listeners) listener({ data });
});
Object.defineProperty(process, 'parentPort', {
  value: {
    on(event, listener) {
      if (event !== 'message') return;
      listeners.push(listener);
      for (const data of early.splice(0)) listener({ data });
    },
    postMessage(message) { if (process.connected) send(message); },
  },
});
delete process.send;
`;

export function fakeUtilityProcess(): FakeUtilityProcess {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-fake-utility-'));
  const shim = path.join(dir, 'parentPortShim.mjs');
  fs.writeFileSync(shim, PARENT_PORT_SHIM);
  const forks: FakeUtilityProcess['forks'] = [];

  return {
    forks,
    fork(modulePath, args = [], options) {
      // Electron types `env` as an open record; what the app passes is a process env.
      const env = (options?.env as NodeJS.ProcessEnv | undefined) ?? process.env;
      const node = fork(modulePath, args, {
        env,
        execArgv: ['--import', pathToFileURL(shim).href],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      const child = new FakeUtilityChild(node);
      forks.push({ modulePath, options, env, child });
      return child;
    },
    dispose() {
      for (const { child } of forks) child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One fork, shaped as Electron's UtilityProcess: 'spawn', 'message', 'exit' with a code. */
class FakeUtilityChild extends EventEmitter implements UtilityChild {
  readonly stderr: NodeJS.ReadableStream | null;

  constructor(private readonly node: ChildProcess) {
    super();
    this.stderr = node.stderr;
    node.on('spawn', () => this.emit('spawn'));
    node.on('message', (message) => this.emit('message', message));
    // 'close': after the channel is drained, as Electron reports 'exit' after the last message.
    node.on('close', (code, signal) => this.emit('exit', code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  }

  get pid(): number | undefined {
    return this.node.pid;
  }

  postMessage(message: unknown): void {
    if (this.node.connected) this.node.send(message as object);
  }

  kill(): boolean {
    return this.node.kill('SIGTERM');
  }
}
