import { PtyHostCore } from './ptyHostCore.js';
import type { PtyHostToHost } from './ptyHostProtocol.js';

/**
 * The pty host: a child process (an Electron utilityProcess in the app, a forked Node process
 * in headless mode) where every node-pty lives, so a flood of output or a crash in native pty
 * code never blocks or kills the host. It speaks ptyHostProtocol over its parent port and exits
 * when the host goes away, killing its ptys.
 */

/** The part of Electron's `process.parentPort` we use (electron/core must not import electron). */
interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

function send(message: PtyHostToHost): void {
  if (parentPort) {
    parentPort.postMessage(message);
  } else if (process.connected && process.send) {
    // Node buffers while the channel is busy; flow control bounds what can pile up.
    process.send(message);
  }
}

const core = new PtyHostCore({ send });

function shutDown(): void {
  core.dispose();
  process.exit(0);
}

if (parentPort) {
  parentPort.on('message', (event) => core.handle(event.data));
} else if (process.send) {
  process.on('message', (message) => core.handle(message));
  // The host died or closed the channel: no one will read our ptys any more.
  process.on('disconnect', shutDown);
} else {
  console.error('ptyHost: no IPC channel; start it with fork() or utilityProcess.fork()');
  process.exit(1);
}
process.on('SIGTERM', shutDown);
