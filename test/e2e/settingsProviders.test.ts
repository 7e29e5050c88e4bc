import { describe, expect, it } from 'vitest';
import { openWorld } from './support/world.js';
import { browserSuite, shootBothThemes } from './support/suite.js';

/**
 * Settings → Providers in a real browser against `flotilla serve` and the scripted model: what
 * new tasks use and where each value comes from, adding a provider with a key (which never
 * comes back to the page), testing it, the default moving, a refusal in words, removal.
 */

const KEY = 'sk-proj-e2e0browser0key0abcdefghijklmnopq';

const suite = browserSuite([{ name: 'probe', steps: [{ type: 'message', text: 'OK' }] }]);

describe('Settings → Providers', () => {
  it('adds, tests, makes default and removes a provider; the key is never sent back to the page', async () => {
    const { page, flotilla } = await openWorld({ browser: suite.browser, hosts: suite.hosts, page: { viewport: { width: 1440, height: 900 } } });
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

    await list.getByRole('button', { name: 'Remove local' }).click();
    await dialog.getByText(/No providers yet/).waitFor();
    await expect.poll(() => inEffect.innerText()).toMatch(/from the environment/);
  });
});
