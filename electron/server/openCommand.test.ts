import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Repo } from '../../shared/model/task.js';
import { serveRealHost, type ServedHost } from '../../test/fixtures/realHost.js';
import { makeTempRepo } from '../../test/fixtures/tempRepo.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function served(): Promise<{ host: ServedHost; opened: Repo[] }> {
  const host = await serveRealHost();
  cleanups.push(() => host.stop());
  const opened: Repo[] = [];
  host.host.onEvent((event, payload) => {
    if (event === 'repos.onDidOpen') opened.push((payload as { repo: Repo }).repo);
  });
  return { host, opened };
}

describe('flotilla open PATH', () => {
  it('adds the repo (a folder inside it will do) and asks every window to show it', async () => {
    const { host, opened } = await served();
    const repo = await makeTempRepo({ files: { 'src/main.c': 'int main;\n' } });
    cleanups.push(() => repo.cleanup());
    const first = await host.run(['open', path.join(repo.path, 'src')]);
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Opened demo repo \([0-9a-f]+\) at /);
    expect(opened.map((r) => r.path)).toEqual([repo.path]);
    // Again: the same repo is shown again, not added twice.
    const again = await host.run(['open', repo.path, '--json']);
    expect((JSON.parse(again.out) as Repo).id).toBe(opened[0]?.id);
    expect(opened).toHaveLength(2);
    expect((await host.host.handlers['repos.list']({})).repos).toHaveLength(1);
  });

  it('says why a folder cannot be opened, and no window is asked to show anything', async () => {
    const { host, opened } = await served();
    const result = await host.run(['open', host.home]);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toMatch(/^flotilla: .*not inside a git repository/);
    expect(opened).toEqual([]);
  });

  it('needs exactly one path', async () => {
    const { host } = await served();
    expect(await host.run(['open'])).toMatchObject({ code: 2, err: ['flotilla: open takes PATH (usage: flotilla open PATH)'] });
  });
});
