import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempHome, runCli, startFlotilla, type FlotillaServer } from '../../test/fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../../test/fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../../test/fixtures/tempRepo.js';
import { createHost } from '../core/host.js';
import { rendererDir } from '../core/util/paths.js';
import { startLoopbackHost } from './loopbackHost.js';
import { serverFilePath } from './serverFile.js';

/**
 * One host per data folder, with real hosts: a `flotilla serve` process runs a task; a second
 * host on the same FLOTILLA_HOME (in this process, as the desktop app starts one, and a second
 * `serve` process) is refused with the holder's pid and leaves the running task alone.
 */

interface TaskJson {
  id: string;
  status: string;
}

let model: ModelServer;
let repo: TempRepo;
let first: FlotillaServer;
const env = () => ({ ...process.env, FLOTILLA_HOME: first.home, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test-loopback' });

beforeAll(async () => {
  model = await startModelServer({ scenarios: [{ name: 'slow', match: 'slow', steps: [{ type: 'shell', command: 'sleep 30' }, { type: 'message', text: 'slept' }] }] });
  repo = await makeTempRepo({ files: { 'README.md': '# demo\n' } });
  first = await startFlotilla({ home: makeTempHome(), env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test-loopback' } });
}, 120_000);

afterAll(async () => {
  await first?.stop();
  await model?.close();
  await repo?.cleanup();
  if (first) fs.rmSync(first.home, { recursive: true, force: true });
});

async function taskStatus(id: string): Promise<string> {
  return (await first.cliJson<TaskJson>(['task', 'show', id])).status;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('one host per data folder', () => {
  it('refuses a second host on the same home, naming the pid that holds it, and never touches its running task', async () => {
    const task = await first.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'a slow job']);
    await until('the task to run', async () => (await taskStatus(task.id)) === 'running');
    const holder = first.process.pid;

    // The desktop app's way in: the claim comes first, so no host (and no database) is created.
    let isHostCreated = false;
    const refused = await startLoopbackHost({
      home: first.home,
      hostname: '127.0.0.1',
      port: 0,
      rendererDir: rendererDir(),
      createHost: async () => {
        isHostCreated = true;
        throw new Error('must not be called');
      },
    });
    expect(refused).toEqual({ ok: false, message: expect.stringContaining(`pid ${holder} at http://127.0.0.1:`) });
    expect(isHostCreated).toBe(false);

    // `flotilla serve` the same way.
    const second = await runCli(['serve', '--port', '0'], { env: env() });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`another Flotilla host is already running on this data folder (pid ${holder}`);

    expect(await taskStatus(task.id)).toBe('running');
    const listed = await first.cliJson<TaskJson[]>(['task', 'list']);
    expect(listed.find((t) => t.id === task.id)?.status).toBe('running');
    await first.cli(['task', 'stop', task.id]);
  });

  it('lets the next host take the folder once the first is gone, serving the same API to the CLI', async () => {
    await first.stop();
    expect(fs.existsSync(serverFilePath(first.home))).toBe(false);
    const started = await startLoopbackHost({
      home: first.home,
      hostname: '127.0.0.1',
      port: 0,
      rendererDir: rendererDir(),
      createHost: () => createHost({ home: first.home, env: env() }),
    });
    if (!started.ok) throw new Error(started.message);
    try {
      const info = JSON.parse(fs.readFileSync(serverFilePath(first.home), 'utf8')) as { pid: number; url: string };
      expect(info.pid).toBe(process.pid);
      expect(fs.statSync(serverFilePath(first.home)).mode & 0o777).toBe(0o600);
      const listed = await runCli(['task', 'list', '--json'], { env: env() });
      expect(listed.code).toBe(0);
      expect((JSON.parse(listed.stdout) as TaskJson[]).map((t) => t.status)).toEqual(['stopped']);
      // The same guard as `serve`: no token, no answer.
      const anonymous = await fetch(new URL('/api/invoke/tasks.list', info.url), { method: 'POST' });
      expect(anonymous.status).toBe(401);
    } finally {
      await started.close();
    }
    expect(fs.existsSync(serverFilePath(first.home))).toBe(false);
  });
});
