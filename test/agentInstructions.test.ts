import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo } from './fixtures/tempRepo.js';
import { makeTempHome, startFlotilla, type FlotillaServer } from './fixtures/flotillaProcess.js';

/**
 * The instructions a turn gets, through the real host and the `openai` SDK: the user's global
 * AGENTS.md (in FLOTILLA_HOME) first, then the repository's, with an override replacing its
 * folder's file; `task instructions` names what is in effect.
 */

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: { path: string; cleanup: () => Promise<void> | void };

beforeAll(async () => {
  model = await startModelServer({ scenarios: [{ name: 'done', steps: [{ type: 'message', text: 'Nothing to change.' }] }] });
  repo = await makeTempRepo({
    files: { 'README.md': '# demo\n', 'AGENTS.md': 'REPO RULE: plain AGENTS.md\n', 'AGENTS.override.md': 'REPO RULE: the override wins\n' },
  });
  const home = makeTempHome();
  fs.writeFileSync(path.join(home, 'AGENTS.md'), 'GLOBAL RULE: answer in English\n');
  flotilla = await startFlotilla({ home, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

describe('instructions in effect', () => {
  it('sends the global AGENTS.md, then the repo override, to the model, and lists them', async () => {
    const created = await flotilla.cliJson<{ id: string; status: string }>(['task', 'new', '--repo', repo.path, '--prompt', 'check the rules', '--wait']);
    expect(created.status).toBe('review');
    const instructions = (model.requests.at(-1)?.body as { instructions?: string }).instructions ?? '';
    const global = instructions.indexOf('GLOBAL RULE: answer in English');
    const override = instructions.indexOf('REPO RULE: the override wins');
    expect(global).toBeGreaterThan(0);
    expect(override).toBeGreaterThan(global);
    expect(instructions).not.toContain('REPO RULE: plain AGENTS.md');

    const listed = await flotilla.cli(['task', 'instructions', created.id]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`global  ${path.join(flotilla.home, 'AGENTS.md')}`);
    expect(listed.stdout).toContain('repo    AGENTS.override.md');
    const json = await flotilla.cliJson<{ scope: string; path: string; text: string }[]>(['task', 'instructions', created.id]);
    expect(json.map((source) => source.scope)).toEqual(['global', 'repo']);
    expect(json[1]?.text).toBe('REPO RULE: the override wins\n');

    const unknown = await flotilla.cli(['task', 'instructions', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('flotilla: no task with id "nope"\n');
  });
});
