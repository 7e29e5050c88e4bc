/**
 * Parses and highlights one piece of a patch off the main thread: @git-diff-view/core builds
 * the DiffFile (diff parse, highlight.js tokens, split and unified lines) here and the page
 * gets its full bundle, so drawing it there is layout only. Requests are queued and run one
 * at a time a task apart, so a `cancel` for a piece scrolled past arrives before its turn.
 */
// Core alone (no React in the worker); the react package re-exports this same class to the page.
import { DiffFile } from '@git-diff-view/core';
import type { BundleRequest, BundleResponse, DiffBundle } from './diffBundleProtocol.js';

const queue = new Map<number, Extract<BundleRequest, { kind: 'build' }>>();
let isScheduled = false;

function runNext(): void {
  isScheduled = false;
  const next = queue.values().next();
  if (next.done) return;
  const request = next.value;
  queue.delete(request.id);
  try {
    const file = new DiffFile(request.oldName, '', request.newName, '', [request.patch]);
    file.initTheme(request.theme);
    file.initRaw();
    file.initSyntax();
    file.buildSplitDiffLines();
    file.buildUnifiedDiffLines();
    postMessage({ id: request.id, bundle: file._getFullBundle() as unknown as DiffBundle } satisfies BundleResponse);
    // Its id is held in a module-wide set until cleared.
    file.clear();
  } catch (error) {
    postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies BundleResponse);
  }
  schedule();
}

function schedule(): void {
  if (isScheduled || queue.size === 0) return;
  isScheduled = true;
  setTimeout(runNext, 0);
}

addEventListener('message', (event: MessageEvent<BundleRequest>) => {
  const request = event.data;
  if (request.kind === 'cancel') queue.delete(request.id);
  else queue.set(request.id, request);
  schedule();
});
