import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../fixtures/browser.js';
import { startModelServer, type ModelServer, type Scenario } from '../../fixtures/modelServer.js';
import { hostPool, shotPath, type HostPool } from './world.js';

/** What a browser test file shares: the scripted model, one Chromium and the pool of hosts. */
export interface BrowserSuite {
  readonly model: ModelServer;
  readonly browser: Browser;
  readonly hosts: HostPool;
}

/**
 * Starts the scripted model (with `scenarios`), Chromium and a host pool before the file's tests
 * and closes them after; the returned object's fields are readable from inside a test.
 */
export function browserSuite(scenarios: Scenario[]): BrowserSuite {
  let model: ModelServer | undefined;
  let browser: Browser | undefined;
  let hosts: HostPool | undefined;
  beforeAll(async () => {
    model = await startModelServer({ scenarios });
    browser = await launchChromium();
    hosts = hostPool({ model });
  });
  afterAll(async () => {
    await hosts?.close();
    await browser?.close();
    await model?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used before the suite started (beforeAll)`);
    return value;
  };
  return {
    get model() {
      return started(model, 'model');
    },
    get browser() {
      return started(browser, 'browser');
    },
    get hosts() {
      return started(hosts, 'hosts');
    },
  };
}

/** `<name>-light.png` and `<name>-dark.png` of the page as it is; the page is left light. */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: shotPath(`${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
