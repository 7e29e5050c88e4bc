import { afterAll, describe, expect, it } from 'vitest';
import { hostPool, openWorld } from './support/world.js';
import { browserSuite, shootBothThemes } from './support/suite.js';

/**
 * Settings → Providers in a real browser against `flotilla serve` and the scripted model: what
 * new tasks use and where each value comes from, adding a provider with a key (which never
 * comes back to the page), testing it, the default moving, a refusal in words, removal.
 */

const KEY = 'sk-proj-e2e0browser0key0abcdefghijklmnopq';

const suite = browserSuite([{ name: 'probe', steps: [{ type: 'message', text: 'OK' }] }]);
/** Hosts with nothing that says where a model is: no OPENAI_* (the machine's are blanked too). */
const unconfiguredHosts = hostPool({ env: () => ({ OPENAI_BASE_URL: '', OPENAI_API_KEY: '', FLOTILLA_MODEL: '' }) });
afterAll(() => unconfiguredHosts.close());

describe('Settings → Providers', () => {
  it('adds, tests, makes default and removes a provider; the key is never sent back to the page', async () => {
    const { page, flotilla } = await openWorld({
      browser: suite.browser,
      hosts: suite.hosts,
      page: { viewport: { width: 1440, height: 900 } },
      prepare: (host) => host.repo({ name: 'shop', files: { 'README.md': '# shop\n' } }),
    });
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('tab', { name: 'Providers' }).click();
    const inEffect = dialog.getByLabel('What new tasks use');
    await inEffect.waitFor();
    // The test host's model comes from OPENAI_BASE_URL: the page says so, not the stored setting.
    expect(await inEffect.innerText()).toContain(suite.model.url);
    expect(await inEffect.innerText()).toMatch(/from the environment/);

    const form = dialog.getByRole('form', { name: 'Add a provider' });
    await form.getByLabel('Name').fill('local');
    await form.getByLabel('API', { exact: true }).selectOption('chat');
    await form.getByLabel('Base URL').fill(suite.model.url);
    await form.getByLabel('Model').fill('scripted-chat');
    await form.getByLabel('API key (optional)').fill(KEY);
    await form.getByRole('button', { name: 'Add provider' }).click();

    const list = dialog.getByRole('list', { name: 'Providers' });
    await list.getByText('local').first().waitFor();
    expect(await list.innerText()).toMatch(/local\s*default/);
    expect(await list.innerText()).toContain('Key set');
    await expect.poll(() => inEffect.innerText()).toMatch(/local[\s\S]*Chat Completions API[\s\S]*from the provider[\s\S]*scripted-chat/);
    expect(await form.getByLabel('API key (optional)').inputValue()).toBe('');

    await list.getByRole('button', { name: 'Test local' }).click();
    await list.getByText(/Answered in \d+ ms\./).waitFor();

    // The same name again: the host's reason, in words, and nothing changes.
    await form.getByLabel('Name').fill('local');
    await form.getByLabel('Base URL').fill(suite.model.url);
    await form.getByLabel('Model').fill('other');
    await form.getByRole('button', { name: 'Add provider' }).click();
    await form.getByRole('alert').getByText('a provider named "local" exists').waitFor();

    expect(await page.content()).not.toContain(KEY);
    const cli = await flotilla.cliJson<{ providers: { name: string; model: string; hasKey: boolean }[] }>(['provider', 'list']);
    expect(cli.providers).toEqual([expect.objectContaining({ name: 'local', model: 'scripted-chat', hasKey: true })]);
    await dialog.getByLabel('What new tasks use').scrollIntoViewIfNeeded();
    await shootBothThemes(page, 'settings-providers-1440');

    // A task for this provider with a model of its own, from the New task dialog.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'New task' }).click();
    const newTask = page.getByRole('dialog', { name: 'New task' });
    await newTask.getByLabel('Provider').selectOption('local');
    await newTask.getByLabel('Model (optional)').fill('picked-model');
    await newTask.getByLabel('Prompt').fill('say OK');
    await shootBothThemes(page, 'new-task-provider-1440');
    const before = suite.model.requests.length;
    await newTask.getByRole('button', { name: 'Create task' }).click();
    await newTask.waitFor({ state: 'detached' });
    await expect.poll(async () => (await flotilla.cliJson<{ status: string }[]>(['task', 'list']))[0]?.status, { timeout: 60_000 }).toBe('review');
    const [task] = await flotilla.cliJson<{ provider: string; model: string; isModelPinned: boolean }[]>(['task', 'list']);
    expect(task).toMatchObject({ provider: 'local', model: 'picked-model', isModelPinned: true });
    const calls = suite.model.requests.slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((request) => request.path === '/v1/chat/completions' && (request.body as { model?: string }).model === 'picked-model')).toBe(true);

    await page.getByRole('button', { name: 'Settings' }).click();
    await dialog.getByRole('tab', { name: 'Providers' }).click();
    await list.getByRole('button', { name: 'Remove local' }).click();
    await dialog.getByText(/No providers yet/).waitFor();
    await expect.poll(() => inEffect.innerText()).toMatch(/from the environment/);
  });

  it('on first run, the board asks for a provider; the card leads to Settings → Providers and goes once one is added', async () => {
    const { page } = await openWorld({ browser: suite.browser, hosts: unconfiguredHosts, page: { viewport: { width: 1440, height: 900 } } });
    const card = page.getByRole('region', { name: 'Set up a model provider' });
    await card.waitFor();
    await shootBothThemes(page, 'provider-setup-card-1440');
    await card.getByRole('button', { name: 'Add a provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    expect(await dialog.getByRole('tab', { name: 'Providers' }).getAttribute('aria-selected')).toBe('true');
    const form = dialog.getByRole('form', { name: 'Add a provider' });
    await form.getByLabel('Name').fill('local');
    await form.getByLabel('API', { exact: true }).selectOption('chat');
    await form.getByLabel('Base URL').fill(suite.model.url);
    await form.getByLabel('Model').fill('scripted-chat');
    await form.getByRole('button', { name: 'Add provider' }).click();
    // The host announces the change: the card goes without a reload, and stays gone after one.
    await card.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.reload();
    await page.getByRole('region', { name: 'Backlog' }).waitFor();
    expect(await card.count()).toBe(0);
  });
});
