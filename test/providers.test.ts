import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo } from './fixtures/tempRepo.js';
import { startFlotilla, type FlotillaServer } from './fixtures/flotillaProcess.js';

/**
 * Provider profiles through the real CLI and host: a Chat Completions endpoint (as Ollama, vLLM
 * or LM Studio speak) added with its key on standard input, tested, made the default, and a
 * task run on it with the real `openai` SDK. The key never shows in a reply, the journal, a
 * command's environment or any file but the 0600 key file.
 */

const KEY = 'sk-proj-Flotilla0test0key0abcdefghijklmnopqrstu';

interface ProvidersJson {
  providers: { name: string; api: string; baseURL: string; model: string; hasKey: boolean }[];
  defaultProvider: string | null;
  keyStorage: { kind: string; warning: string | null };
  inEffect: { provider: string | null; api: string; model: string; hasKey: boolean; sources: Record<string, string | null> };
}

let model: ModelServer;
let keyChecker: http.Server;
let keyCheckerUrl: string;
let flotilla: FlotillaServer;
let repo: { path: string; cleanup: () => Promise<void> | void };

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'environment',
        match: 'show the environment',
        steps: [
          { type: 'shell', command: 'env | sort; echo listed > env-listed.txt' },
          { type: 'message', text: 'Listed the environment.' },
        ],
      },
      { name: 'probe', steps: [{ type: 'message', text: 'OK' }] },
    ],
  });
  // An endpoint that answers only with the right key: proves the profile's key is what is sent.
  keyChecker = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'invalid api key', type: 'invalid_request_error' } }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'OK' } }] }));
    });
  });
  await new Promise<void>((resolve) => keyChecker.listen(0, '127.0.0.1', resolve));
  keyCheckerUrl = `http://127.0.0.1:${(keyChecker.address() as AddressInfo).port}/v1`;
  repo = await makeTempRepo({ files: { 'README.md': '# demo\n' } });
  // No OPENAI_* from the machine running the tests: the profile alone must be enough.
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: '', OPENAI_API_KEY: '', FLOTILLA_MODEL: '' } });
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  await new Promise((resolve) => keyChecker?.close(resolve));
  await repo?.cleanup();
});

describe('provider profiles', () => {
  it('starts with none, and says what a new task would use and where it comes from', async () => {
    const listed = await flotilla.cliJson<ProvidersJson>(['provider', 'list']);
    expect(listed.providers).toEqual([]);
    expect(listed.defaultProvider).toBeNull();
    expect(listed.inEffect).toMatchObject({ provider: null, api: 'responses', hasKey: false, sources: { baseURL: 'default', model: 'default', apiKey: null } });
    expect(listed.keyStorage).toEqual({ kind: 'file', warning: null });
  });

  it('adds a chat provider with its key from standard input, never printing it, and keeps the key in a 0600 file', async () => {
    const added = await flotilla.cli(['provider', 'add', 'local', '--base-url', model.url, '--api', 'chat', '--model', 'scripted-chat', '--api-key-stdin'], { input: `${KEY}\n` });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('local  chat');
    expect(added.stdout).toContain('key set');
    expect(added.stdout).not.toContain(KEY);

    const keyFile = path.join(flotilla.home, 'provider-keys.json');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(keyFile, 'utf8'))).toEqual({ local: KEY });

    const list = await flotilla.cli(['provider', 'list', '--json']);
    expect(list.stdout).not.toContain(KEY);
    const listed = JSON.parse(list.stdout) as ProvidersJson;
    expect(listed.providers).toEqual([{ name: 'local', api: 'chat', baseURL: model.url, model: 'scripted-chat', hasKey: true }]);
    // The first profile becomes the default, and is what new tasks use.
    expect(listed.defaultProvider).toBe('local');
    expect(listed.inEffect).toMatchObject({ provider: 'local', api: 'chat', model: 'scripted-chat', hasKey: true, sources: { baseURL: 'profile', model: 'profile', apiKey: 'profile' } });
    const human = await flotilla.cli(['provider', 'list']);
    expect(human.stdout).toMatch(/^\* local {2}chat/m);
    expect(human.stdout).toContain('In effect for new tasks: provider local, chat API');
  });

  it('tests a provider with one tiny request, and says in one line what failed', async () => {
    const ok = await flotilla.cli(['provider', 'test', 'local']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Provider local answered with model scripted-chat in \d+ ms/);
    expect(model.requests.at(-1)?.path).toBe('/v1/chat/completions');

    // The key is what reaches the provider: the checker answers only to it.
    await flotilla.cli(['provider', 'add', 'checked', '--base-url', keyCheckerUrl, '--api', 'chat', '--model', 'm', '--api-key-stdin'], { input: KEY });
    const checked = await flotilla.cli(['provider', 'test', 'checked']);
    expect(checked.code, checked.stderr + checked.stdout).toBe(0);
    await flotilla.cli(['provider', 'add', 'wrong-key', '--base-url', keyCheckerUrl, '--api', 'chat', '--model', 'm', '--api-key-stdin'], { input: 'sk-wrong-key-0000000000000000' });
    const refused = await flotilla.cli(['provider', 'test', 'wrong-key']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^flotilla: provider "wrong-key": model API error 401 at .*invalid api key/);
    expect(refused.stderr).not.toContain('sk-wrong-key');

    const closedPort = await freePort();
    await flotilla.cli(['provider', 'add', 'gone', '--base-url', `http://127.0.0.1:${closedPort}/v1`, '--api', 'responses', '--model', 'm']);
    const unreachable = await flotilla.cli(['provider', 'test', 'gone']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^flotilla: provider "gone": model API unreachable at http:\/\/127\.0\.0\.1:\d+\/v1: connection refused\n$/);
  });

  it('runs a task on the default provider over Chat Completions; the key is in no command environment, reply or file but its own', async () => {
    const created = await flotilla.cli(['task', 'new', '--repo', repo.path, '--prompt', 'show the environment', '--wait', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const task = JSON.parse(created.stdout) as { id: string; status: string; worktreePath: string };
    expect(task.status).toBe('review');
    const chatCalls = model.requests.filter((request) => request.scenario === 'environment');
    expect(chatCalls.length).toBeGreaterThanOrEqual(2);
    expect(chatCalls.every((request) => request.path === '/v1/chat/completions')).toBe(true);
    expect(fs.readFileSync(path.join(task.worktreePath, 'env-listed.txt'), 'utf8')).toBe('listed\n');

    const log = await flotilla.cli(['task', 'log', task.id]);
    expect(log.stdout).toContain('Listed the environment.');
    expect(log.stdout).toContain('PATH=');
    expect(log.stdout).not.toContain(KEY);
    expect(log.stdout).not.toContain('OPENAI_API_KEY');

    for (const file of filesUnder(flotilla.home)) {
      if (path.basename(file) === 'provider-keys.json') continue;
      expect(fs.readFileSync(file).includes(KEY), `${file} holds the key`).toBe(false);
    }
  });

  it('a task created for a named provider and model keeps them, whatever the default; an unknown provider creates nothing', async () => {
    await flotilla.cli(['provider', 'add', 'responses-api', '--base-url', model.url, '--api', 'responses', '--model', 'profile-model']);
    const before = model.requests.length;
    const created = await flotilla.cli(['task', 'new', '--repo', repo.path, '--prompt', 'show the environment again', '--provider', 'responses-api', '--model', 'pinned-model', '--wait', '--json']);
    expect(created.code, created.stderr + created.stdout).toBe(0);
    const task = JSON.parse(created.stdout) as { id: string; status: string; provider: string | null; isModelPinned: boolean; model: string };
    expect(task).toMatchObject({ status: 'review', provider: 'responses-api', isModelPinned: true, model: 'pinned-model' });
    const calls = model.requests.slice(before);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((request) => request.path === '/v1/responses' && (request.body as { model?: string }).model === 'pinned-model')).toBe(true);

    const tasksBefore = (await flotilla.cliJson<unknown[]>(['task', 'list'])).length;
    const unknown = await flotilla.cli(['task', 'new', '--repo', repo.path, '--prompt', 'x', '--provider', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('flotilla: no provider named "nobody" (see: flotilla provider list)\n');
    expect((await flotilla.cliJson<unknown[]>(['task', 'list'])).length).toBe(tasksBefore);

    // Its provider removed, a follow-up fails in words naming it; nothing runs elsewhere.
    await flotilla.cli(['provider', 'remove', 'responses-api']);
    const followUp = await flotilla.cli(['task', 'send', task.id, '--message', 'again', '--wait', '--json']);
    const after = JSON.parse(followUp.stdout) as { status: string; statusReason: string };
    expect(after.status).toBe('failed');
    expect(after.statusReason).toContain('no provider named "responses-api"');
  });

  it('refuses bad input in one line and changes nothing', async () => {
    const duplicate = await flotilla.cli(['provider', 'add', 'local', '--base-url', model.url, '--api', 'chat', '--model', 'other']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe('flotilla: a provider named "local" exists; remove it first, or replace it (flotilla provider add --replace)\n');
    const badApi = await flotilla.cli(['provider', 'add', 'x', '--base-url', model.url, '--api', 'soap', '--model', 'm']);
    expect(badApi.code).toBe(2);
    expect(badApi.stderr).toContain('--api must be responses or chat');
    const badUrl = await flotilla.cli(['provider', 'add', 'x', '--base-url', 'ftp://example.com', '--api', 'chat', '--model', 'm']);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('http(s) URL');
    const badName = await flotilla.cli(['provider', 'add', '../etc', '--base-url', model.url, '--api', 'chat', '--model', 'm']);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('a provider name is');
    const emptyKey = await flotilla.cli(['provider', 'add', 'x', '--base-url', model.url, '--api', 'chat', '--model', 'm', '--api-key-stdin'], { input: '\n' });
    expect(emptyKey.code).toBe(1);
    expect(emptyKey.stderr).toContain('standard input was empty');
    expect((await flotilla.cli(['provider', 'test', 'nobody'])).stderr).toBe('flotilla: no provider named "nobody" (see: flotilla provider list)\n');

    const listed = await flotilla.cliJson<ProvidersJson>(['provider', 'list']);
    expect(listed.providers.map((provider) => provider.name).sort()).toEqual(['checked', 'gone', 'local', 'wrong-key']);
    expect(listed.providers.find((provider) => provider.name === 'local')?.model).toBe('scripted-chat');
  });

  it('removes a provider with its key; the default falls back to the environment and settings', async () => {
    const removed = await flotilla.cli(['provider', 'remove', 'local']);
    expect(removed.code).toBe(0);
    const keys = JSON.parse(fs.readFileSync(path.join(flotilla.home, 'provider-keys.json'), 'utf8')) as Record<string, string>;
    expect(keys.local).toBeUndefined();
    const listed = await flotilla.cliJson<ProvidersJson>(['provider', 'list']);
    expect(listed.defaultProvider).toBeNull();
    expect(listed.inEffect.provider).toBeNull();
    expect((await flotilla.cli(['provider', 'default', 'checked'])).code).toBe(0);
    expect((await flotilla.cliJson<ProvidersJson>(['provider', 'list'])).inEffect.provider).toBe('checked');
  });
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'worktrees' ? [] : filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
