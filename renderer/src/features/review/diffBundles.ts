import { DiffFile } from '@git-diff-view/react';
import type { BundleRequest, BundleResponse, DiffBundle } from './diffBundleProtocol.js';

/** One piece of a patch to draw: names pick the highlighting language. */
export interface PieceSource {
  oldName: string;
  newName: string;
  patch: string;
}

type Waiter = { resolve: (bundle: DiffBundle | null) => void };

/**
 * The page's side of diffBundle.worker.ts: `buildPiece` resolves with a DiffFile made from the
 * worker's bundle (parsed and highlighted there), or null when there is no worker (it failed to
 * load, or the page has no Worker): the caller then lets the library build it on the main thread.
 */
class DiffBundleWorker {
  #worker: Worker | null | undefined;
  #nextId = 1;
  readonly #waiting = new Map<number, Waiter>();

  #start(): Worker | null {
    if (this.#worker !== undefined) return this.#worker;
    try {
      const worker = new Worker(new URL('./diffBundle.worker.ts', import.meta.url), { type: 'module', name: 'diff-highlight' });
      worker.addEventListener('message', (event: MessageEvent<BundleResponse>) => this.#settle(event.data));
      // A worker that cannot load (a policy, a missing file) is given up: every piece draws on the main thread.
      worker.addEventListener('error', () => this.#giveUp());
      this.#worker = worker;
    } catch {
      this.#worker = null;
    }
    return this.#worker;
  }

  #settle(response: BundleResponse): void {
    const waiter = this.#waiting.get(response.id);
    this.#waiting.delete(response.id);
    waiter?.resolve('bundle' in response ? response.bundle : null);
  }

  #giveUp(): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const waiter of this.#waiting.values()) waiter.resolve(null);
    this.#waiting.clear();
  }

  prepare(): void {
    this.#start();
  }

  /** The bundle of `source`, or null (build it here); `signal` drops a request not started yet. */
  build(source: PieceSource, theme: 'light' | 'dark', signal: AbortSignal): Promise<DiffBundle | null> {
    const worker = this.#start();
    if (!worker) return Promise.resolve(null);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, { resolve });
      worker.postMessage({ kind: 'build', id, ...source, theme } satisfies BundleRequest);
      signal.addEventListener('abort', () => {
        if (!this.#waiting.delete(id)) return;
        worker.postMessage({ kind: 'cancel', id } satisfies BundleRequest);
        resolve(null);
      });
    });
  }
}

const shared = new DiffBundleWorker();

/** Starts the worker ahead of the first piece (it loads highlight.js), e.g. while the diff is fetched. */
export function prepareDiffWorker(): void {
  shared.prepare();
}

/**
 * A DiffFile ready to draw, parsed and highlighted in the worker; null when the worker is not
 * available or `signal` aborted first.
 */
export async function buildPieceOffThread(source: PieceSource, theme: 'light' | 'dark', signal: AbortSignal): Promise<DiffFile | null> {
  const bundle = await shared.build(source, theme, signal);
  if (!bundle || signal.aborted) return null;
  return DiffFile.createInstance({}, bundle);
}
