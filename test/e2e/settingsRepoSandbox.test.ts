import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { makeTempHome, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import type { HostApi } from './support/host.js';
import { hostPool, openWorld, shotPath, type HostPool } from './support/world.js';

/**
 * Settings → Repos → Sandbox in a real browser against `flotilla serve`: the keyboard sets a
 * repo's script network, home paths and host sockets; a refused path keeps what was typed and
 * names the entry; the host stores the values (read back through the CLI), `~/` made absolute;
 * a change made elsewhere shows up. Screenshots at 1440×900 and 1024×700 in both themes. Each
 * test has its own host, home and repos.
 */

interface RepoSettingsJson {
  scriptNetwork: boolean;
  homeReadOnlyPaths: string[];
  unixSockets: string[];
}

let browser: Browser;
let hosts: HostPool;
/** Each host's $HOME (a fresh one per host, with a ~/.ssh inside). */
const homes: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  hosts = hostPool({
    env: () => {
      const home = makeTempHome();
      fs.mkdirSync(path.join(home, '.ssh'));
      homes.push(home);
      return { HOME: home };
    },
  });
});

afterAll(async () => {
  await hosts?.close();
  await browser?.close();
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
});

// The test's own host (with its own $HOME), repos and page; set by `openRepoSettings`.
let flotilla: FlotillaServer;
let api: HostApi;
let page: Page;
let repoId: string;
/** The host's $HOME: where `~/` points. */
let userHome: string;

/**
 * A host whose $HOME holds a ~/.ssh, with the repos shop and admin, on the board at 1440×900;
 * with `isOpen`, Settings open on shop's Sandbox group.
 */
async function openRepoSettings(opts: { isOpen: boolean }): Promise<void> {
  const world = await openWorld({
    browser,
    hosts,
    page: { viewport: { width: 1440, height: 900 } },
    prepare: async (host) => {
      const shop = await host.repo({ name: 'shop', files: { 'README.md': '# shop\n' } });
      repoId = shop.id ?? '';
      await host.repo({ name: 'admin', files: { 'README.md': '# admin\n' } });
    },
  });
  ({ flotilla, page, api } = world);
  userHome = world.env.HOME ?? '';
  if (!opts.isOpen) return;
  await page.getByRole('button', { name: 'Settings' }).click();
  await group().waitFor();
}

const dialog = () => page.getByRole('dialog', { name: 'Settings' });
const group = (): Locator => dialog().getByRole('group', { name: 'Sandbox settings for shop' });
const homePaths = () => group().getByLabel('Readable from your home (read-only)');
const sockets = () => group().getByLabel('Host sockets commands may connect to');
const network = () => group().getByLabel('Setup and cleanup scripts may use the network');

async function stored(): Promise<RepoSettingsJson> {
  return flotilla.cliJson<RepoSettingsJson>(['repo', 'config', repoId]);
}

async function shootBothThemes(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: shotPath(`${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('Settings → Repos → Sandbox', () => {
  it('shows each repo’s sandbox group, off and empty for a new repo', async () => {
    await openRepoSettings({ isOpen: false });

    await page.getByRole('button', { name: 'Settings' }).click();
    await group().waitFor();
    expect(await dialog().getByRole('group', { name: 'Sandbox settings for admin' }).count()).toBe(1);
    expect(await network().isChecked()).toBe(false);
    expect(await homePaths().inputValue()).toBe('');
    expect(await sockets().inputValue()).toBe('');
    expect(await group().innerText()).toMatch(/On Linux, listing any socket lets commands reach every unix socket they can see/);
    await group().scrollIntoViewIfNeeded();
    await shootBothThemes('settings-repo-sandbox-1440');
  });

  it('refuses a relative path and a credential folder by name, keeping what was typed', async () => {
    await openRepoSettings({ isOpen: true });

    // Keyboard only: into the checkbox, Space, then the two lists.
    await network().focus();
    await page.keyboard.press('Space');
    expect(await network().isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await homePaths().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('.gitconfig\n~/.ssh');
    await page.keyboard.press('Tab');
    await page.keyboard.type('/var/run/docker.sock');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Save sandbox settings

    const alert = group().getByRole('alert');
    await alert.waitFor();
    const message = await alert.innerText();
    expect(message).toContain('Nothing was saved');
    expect(message).toContain('".gitconfig" is relative');
    expect(message).toContain('"~/.ssh" is inside ~/.ssh, which holds credentials');
    expect(await homePaths().getAttribute('aria-invalid')).toBe('true');
    expect(await sockets().getAttribute('aria-invalid')).toBe('false');
    expect(await homePaths().inputValue()).toBe('.gitconfig\n~/.ssh');
    expect(await stored()).toMatchObject({ scriptNetwork: false, homeReadOnlyPaths: [], unixSockets: [] });
    await shootBothThemes('settings-repo-sandbox-refused');
  });

  it('saves the three values; the host stores them, ~/ made absolute, and the form shows what is stored', async () => {
    await openRepoSettings({ isOpen: true });
    // Typed but not saved yet: the network on, a socket.
    await network().check();
    await sockets().fill('/var/run/docker.sock');

    await homePaths().fill('~/.gitconfig\n\n~/.cargo/registry');
    await group().getByRole('button', { name: 'Save sandbox settings' }).click();
    await group().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await group().getByRole('alert').count()).toBe(0);

    const absolute = [path.join(userHome, '.gitconfig'), path.join(userHome, '.cargo', 'registry')];
    expect(await stored()).toMatchObject({ scriptNetwork: true, homeReadOnlyPaths: absolute, unixSockets: ['/var/run/docker.sock'] });
    expect(await homePaths().inputValue()).toBe(absolute.join('\n'));
    expect(await homePaths().getAttribute('aria-invalid')).toBe('false');
    // The other repo is untouched.
    const otherId = (await flotilla.cliJson<Array<{ id: string; name: string }>>(['repo', 'list'])).find((r) => r.name === 'admin')?.id ?? '';
    expect(await flotilla.cliJson<RepoSettingsJson>(['repo', 'config', otherId])).toMatchObject({ scriptNetwork: false, homeReadOnlyPaths: [] });
  });

  it('shows a change made elsewhere (the CLI) without losing an edit in progress', async () => {
    await openRepoSettings({ isOpen: true });
    // Saved before: the network on, a home path and a socket.
    await api.invoke('repos.configure', { id: repoId, scriptNetwork: true, homeReadOnlyPaths: ['~/.gitconfig'], unixSockets: ['/var/run/docker.sock'] });
    await expect.poll(() => network().isChecked()).toBe(true);

    await sockets().fill('/run/user/1000/podman/podman.sock');
    expect((await flotilla.cli(['repo', 'config', repoId, '--script-network', 'off', '--home-path', '~/.npmrc-free/cache'])).code).toBe(0);
    await expect.poll(() => network().isChecked()).toBe(false);
    await expect.poll(() => homePaths().inputValue()).toBe(path.join(userHome, '.npmrc-free', 'cache'));
    expect(await sockets().inputValue()).toBe('/run/user/1000/podman/podman.sock');
  });

  it('fits a small window: the group stays readable at 1024×700', async () => {
    await openRepoSettings({ isOpen: true });

    await page.setViewportSize({ width: 1024, height: 700 });
    await group().scrollIntoViewIfNeeded();
    const box = await group().boundingBox();
    expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(1024);
    // The two lists sit side by side, each wide enough for a path.
    const home = await homePaths().boundingBox();
    expect(home?.width ?? 0).toBeGreaterThan(300);
    await shootBothThemes('settings-repo-sandbox-1024');
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'hidden' });
  });
});
