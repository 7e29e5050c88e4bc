import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo } from './fixtures/tempRepo.js';
import { startFlotilla, type FlotillaServer } from './fixtures/flotillaProcess.js';
import { hostApi } from './e2e/support/host.js';

/**
 * The agent's file tools through the real host, worker and `openai` SDK: read_file, then
 * apply_patch (as a tool, and as Codex's models write it through the shell), in the transcript
 * like commands; a read-only task is refused, an untrusted one asks first.
 */

const PATCH = ['*** Begin Patch', '*** Update File: README.md', '-# demo', '+# demo, patched', '*** Add File: notes/todo.md', '+- ship it', '*** End Patch'].join('\n');

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: { path: string; cleanup: () => Promise<void> | void };

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'edit',
        match: 'edit the readme',
        steps: [
          { type: 'tool', name: 'read_file', arguments: { path: 'README.md' } },
          { type: 'tool', name: 'apply_patch', arguments: { input: PATCH } },
          { type: 'shell', command: "apply_patch <<'EOF'\n*** Begin Patch\n*** Delete File: notes/todo.md\n*** End Patch\nEOF" },
          { type: 'message', text: 'Patched the README.' },
        ],
      },
      {
        name: 'plan',
        match: 'plan it',
        steps: [
          { type: 'tool', name: 'update_plan', arguments: { plan: [{ step: 'a', status: 'in_progress' }, { step: 'b', status: 'in_progress' }] } },
          {
            type: 'tool',
            name: 'update_plan',
            arguments: { explanation: 'first pass', plan: [{ step: 'Read the code', status: 'completed' }, { step: 'Fix ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', status: 'in_progress' }, { step: 'Test', status: 'pending' }] },
          },
          { type: 'message', text: 'Planned.' },
        ],
      },
      { name: 'read-only', match: 'try to edit', steps: [{ type: 'tool', name: 'apply_patch', arguments: { input: PATCH } }, { type: 'message', text: 'Could not.' }] },
    ],
  });
  repo = await makeTempRepo({ files: { 'README.md': '# demo\nsecond line\n' } });
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

interface TaskJson {
  id: string;
  status: string;
  worktreePath: string;
  pendingApproval: { command: string } | null;
}

function toolOutputs(scenario: string): string[] {
  return model.requests
    .filter((request) => request.scenario === scenario)
    .flatMap((request) => ((request.body as { input?: { type?: string; output?: string }[] }).input ?? []))
    .filter((item) => item.type === 'function_call_output')
    .map((item) => item.output ?? '');
}

describe('file tools', () => {
  it('reads numbered lines and applies patches; each shows in the transcript like a command, and the turn checkpoints them', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'edit the readme', '--wait']);
    expect(task.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'README.md'), 'utf8')).toBe('# demo, patched\nsecond line\n');
    expect(fs.existsSync(path.join(task.worktreePath, 'notes', 'todo.md'))).toBe(false);
    const outputs = toolOutputs('edit');
    expect(outputs).toContain('1\t# demo\n2\tsecond line');
    expect(outputs).toContain('Applied:\nM README.md\nA notes/todo.md');
    expect(outputs).toContain('Applied:\nD notes/todo.md');
    const log = await flotilla.cli(['task', 'log', task.id]);
    expect(log.stdout).toContain('read_file README.md');
    expect(log.stdout).toContain('apply_patch README.md, notes/todo.md');
    const diff = await flotilla.cli(['task', 'diff', task.id, '--stat']);
    expect(diff.stdout).toContain('README.md');
  });

  it('refuses a patch in a read-only task, telling the model why', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'try to edit', '--sandbox', 'read-only', '--wait']);
    expect(task.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'README.md'), 'utf8')).toBe('# demo\nsecond line\n');
    expect(toolOutputs('read-only').some((output) => output.includes('not applied: this task is read-only'))).toBe(true);
  });

  it('asks before a patch in an untrusted task, naming its files, and applies it once approved', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'try to edit', '--approval', 'untrusted', '--wait']);
    expect(task.status).toBe('needs_input');
    expect(task.pendingApproval?.command).toBe('apply_patch README.md, notes/todo.md');
    expect((await flotilla.cli(['task', 'approve', task.id])).code).toBe(0);
    await expect.poll(async () => (await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status, { timeout: 60_000 }).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'README.md'), 'utf8')).toBe('# demo, patched\nsecond line\n');
  });

  it('keeps the agent’s plan on the task (checked, redacted, journalled), and tells the model what is wrong with a bad one', async () => {
    const task = await flotilla.cliJson<TaskJson & { plan: unknown }>(['task', 'new', '--repo', repo.path, '--prompt', 'plan it', '--wait']);
    expect(task.plan).toEqual({
      explanation: 'first pass',
      steps: [
        { step: 'Read the code', status: 'completed' },
        { step: expect.stringMatching(/^Fix ghp_\*+/), status: 'in_progress' },
        { step: 'Test', status: 'pending' },
      ],
    });
    expect(JSON.stringify(task.plan)).not.toContain('ghp_aaaa');
    // The last request holds the whole conversation: each call's answer once.
    expect([...new Set(toolOutputs('plan'))]).toEqual(['error: at most one step can be "in_progress".', 'Plan updated.']);
    // Journalled as the task's change, so the board, task log and a replay fold the same plan.
    const page = await hostApi(flotilla).invoke<{ ok: true; events: { body: { kind: string; patch?: { plan?: unknown } } }[] }>('tasks.events', { id: task.id });
    expect(page.events.filter((event) => event.body.kind === 'task_updated' && event.body.patch?.plan !== undefined).map((event) => event.body.patch?.plan)).toEqual([task.plan]);
  });
});
