import { parentPort } from 'node:worker_threads';
import { HeadlessMirror } from './headlessMirror.js';
import type { FromMirrorWorker, ToMirrorWorker } from './mirrorWorkerProtocol.js';

/**
 * The mirror worker: a thread of the host that parses every session's output into its headless
 * xterm. Parsing a flood costs a whole core (~25 MB/s); on the main thread it would delay every
 * other message of the host (keystrokes, acks, contract calls) by xterm's 12 ms parse slices.
 */

const port = parentPort;
if (!port) throw new Error('mirrorWorker runs as a worker thread');
const mirrors = new Map<number, HeadlessMirror>();

function post(message: FromMirrorWorker): void {
  port?.postMessage(message);
}

function handle(message: ToMirrorWorker): void {
  if (message.type === 'open') {
    const { id } = message;
    const mirror: HeadlessMirror = new HeadlessMirror({
      cols: message.cols,
      rows: message.rows,
      scrollback: message.scrollback,
      onDidParse: () => post({ type: 'parsed', id, parsedChars: mirror.parsedChars }),
    });
    mirrors.set(id, mirror);
    return;
  }
  const mirror = mirrors.get(message.id);
  if (!mirror) return;
  switch (message.type) {
    case 'write':
      return mirror.write(message.data);
    case 'resize':
      return mirror.resize(message.cols, message.rows);
    case 'snapshot':
      // The snapshot covers everything written when it is taken, i.e. `writtenChars` then.
      return mirror.takeSnapshot((data) => post({ type: 'snapshot', id: message.id, request: message.request, data, upTo: mirror.writtenChars }));
    case 'close':
      mirrors.delete(message.id);
      return mirror.dispose();
  }
}

port.on('message', (message: ToMirrorWorker) => {
  try {
    handle(message);
  } catch (error) {
    // One broken session must not take every other terminal's screen with it.
    console.error('flotilla: terminal mirror:', error);
  }
});
