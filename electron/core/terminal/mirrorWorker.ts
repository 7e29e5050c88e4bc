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
/** Mirrors that parsed something not yet reported: one `parsed` message per mirror per turn, not per chunk. */
const unreported = new Set<number>();
let isReportScheduled = false;

function post(message: FromMirrorWorker): void {
  port?.postMessage(message);
}

function reportParsed(id: number): void {
  unreported.delete(id);
  const mirror = mirrors.get(id);
  if (mirror) post({ type: 'parsed', id, parsedChars: mirror.parsedChars });
}

function scheduleReport(id: number): void {
  unreported.add(id);
  if (isReportScheduled) return;
  isReportScheduled = true;
  setImmediate(() => {
    isReportScheduled = false;
    for (const pending of [...unreported]) reportParsed(pending);
  });
}

function handle(message: ToMirrorWorker): void {
  if (message.type === 'open') {
    const { id } = message;
    mirrors.set(id, new HeadlessMirror({ cols: message.cols, rows: message.rows, scrollback: message.scrollback, onDidParse: () => scheduleReport(id) }));
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
      return mirror.takeSnapshot((data) => {
        // Order matters to the main thread: progress up to the snapshot, the snapshot (which
        // covers everything written when it is taken), then progress past it.
        if (unreported.has(message.id)) reportParsed(message.id);
        post({ type: 'snapshot', id: message.id, request: message.request, data, upTo: mirror.writtenChars });
      });
    case 'close':
      mirrors.delete(message.id);
      unreported.delete(message.id);
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
