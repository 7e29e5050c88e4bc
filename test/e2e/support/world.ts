import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { startFlotilla, type FlotillaServer } from '../../fixtures/flotillaProcess.js';
import type { ModelServer } from '../../fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/tempRepo.js';
import { hostApi, type HostApi } from './host.js';

/** Where the browser tests leave their screenshots. */
export const SHOTS_DIR = path.join(process.cwd(), 'test-results');

export function shotPath(name: string): string {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  return path.join(SHOTS_DIR, name);
}

/** A started host and the environment it was started with. */
export interface Host {
  flotilla: FlotillaServer;
  env: NodeJS.ProcessEnv;
}

/**
 * Fresh hosts for the tests of a file, each started one test ahead: a test takes a host that is
 * already up (its own FLOTILLA_HOME, used by no other test) and the next one boots while it
 * runs. Starting one costs about a second, most of a short test's setup otherwise.
 */
export interface HostPool {
  take(): Promise<Host>;
  /** Stops the spare host (afterAll). */
  close(): Promise<void>;
}

export function hostPool(opts: { model?: ModelServer; env?: () => NodeJS.ProcessEnv } = {}): HostPool {
  const start = async (): Promise<Host> => {
    const env = { ...(opts.model ? { OPENAI_BASE_URL: opts.model.url, OPENAI_API_KEY: 'sk-test' } : {}), ...opts.env?.() };
    return { flotilla: await startFlotilla({ env }), env };
  };
  let spare: Promise<Host> | null = start();
  // A spare that fails to start fails the test that takes it, not the file's setup.
  spare.catch(() => {});
  return {
    take() {
      const taken = spare ?? start();
      spare = start();
      spare.catch(() => {});
      return taken;
    },
    async close() {
      const last = spare;
      spare = null;
      const host = await last?.catch(() => null);
      await host?.flotilla.stop();
    },
  };
}

/** One test's own host: nothing another test did is in sight. */
export interface TestHost extends Host {
  api: HostApi;
  /** A repo under a temp dir (a space and unicode in its path), added to this host unless `isAdded` is false. */
  repo(opts?: { name?: string; files?: Record<string, string>; isAdded?: boolean }): Promise<TempRepo & { id: string | null }>;
  /** A signed-in page on this host. */
  openPage(opts?: PageOptions): Promise<Page>;
}

/** A test's host and its first page. */
export interface World<T = void> extends TestHost {
  page: Page;
  /** What `prepare` returned. */
  prepared: T;
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Runs in the page before the app (a recorder, a stub): a function or its source. */
  initScript?: (() => void) | string;
  /** Stops at the sign-in redirect instead of waiting for the board. */
  isBoardAwaited?: boolean;
}

/**
 * A host of the pool for the calling test and a page signed in on it; `prepare` (repos, tasks)
 * runs on the host while the page loads. Everything made (the pages, the host, its repos) is
 * closed when the test finishes, passed or failed.
 */
export async function openWorld<T = void>(opts: {
  browser: Browser;
  hosts: HostPool;
  page?: PageOptions;
  prepare?: (host: TestHost) => Promise<T>;
}): Promise<World<T>> {
  const host = await opts.hosts.take();
  onTestFinished(() => host.flotilla.stop());
  const api = hostApi(host.flotilla);

  async function repo(repoOpts: { name?: string; files?: Record<string, string>; isAdded?: boolean } = {}) {
    const made = await makeTempRepo({ ...(repoOpts.name ? { name: repoOpts.name } : {}), ...(repoOpts.files ? { files: repoOpts.files } : {}) });
    onTestFinished(() => made.cleanup());
    if (repoOpts.isAdded === false) return { ...made, id: null };
    const added = await api.invoke<{ ok: true; repo: { id: string } } | { ok: false; message: string }>('repos.add', { path: made.path });
    if (!added.ok) throw new Error(`repos.add: ${added.message}`);
    return { ...made, id: added.repo.id };
  }

  const testHost: TestHost = { ...host, api, repo, openPage: (pageOpts = {}) => signedInPage(opts.browser, host.flotilla, pageOpts) };
  const [page, prepared] = await Promise.all([testHost.openPage(opts.page), opts.prepare ? opts.prepare(testHost) : (undefined as T)]);
  return { ...testHost, page, prepared };
}

/**
 * A page in a new browser context (its own cookies and storage), signed in on `flotilla`, on
 * the board; closed when the calling test finishes.
 */
export async function signedInPage(browser: Browser, flotilla: FlotillaServer, opts: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext(opts.viewport ? { viewport: opts.viewport } : {});
  onTestFinished(() => context.close());
  const page = await context.newPage();
  if (opts.initScript) await page.addInitScript(opts.initScript);
  // The token in the URL becomes a cookie; the app then drops it from the address bar.
  await page.goto(flotilla.url);
  if (opts.isBoardAwaited !== false) await page.getByRole('region', { name: 'Backlog' }).waitFor();
  return page;
}
