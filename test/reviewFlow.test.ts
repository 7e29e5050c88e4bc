import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer, type RecordedRequest, type Scenario } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';
import { startFlotilla, type FlotillaServer } from './fixtures/flotillaProcess.js';
import { HostClient } from '../electron/server/hostClient.js';
import { findRunningServer } from '../electron/transport/serverFile.js';

/**
 * Sending a task back, as a user scripts it with the CLI against a real `flotilla serve`: comments
 * on the diff reaching the agent as its next turn, protected paths gating the merge, and an AI
 * review whose findings come from the scripted model (structured output, a final message, and an
 * answer that is neither).
 */

interface TaskJson {
  id: string;
  status: string;
  worktreePath: string;
}
interface CommentJson {
  id: string;
  kind: 'comment' | 'finding';
  file: string;
  startLine: number;
  endLine: number;
  quote: string;
  text: string;
  title: string | null;
  priority: number | null;
  sentAt: number | null;
  answeredInTurn: number | null;
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();

const findingsJson = (file: string) =>
  JSON.stringify({
    findings: [
      {
        title: 'Greeting lost its name',
        body: 'The second line no longer says who is greeted.',
        confidence_score: 0.9,
        priority: 1,
        code_location: { absolute_file_path: file, line_range: { start: 2, end: 2 } },
      },
      {
        title: 'Outside',
        body: 'A path outside the worktree is dropped.',
        confidence_score: 0.2,
        priority: 3,
        code_location: { absolute_file_path: '/etc/passwd', line_range: { start: 1, end: 1 } },
      },
    ],
    overall_correctness: 'patch is incorrect',
    overall_explanation: 'One real problem.',
    overall_confidence_score: 0.8,
  });

/** Its answer names the task's worktree, known only once the task exists (set in its test). */
const finalReview: Scenario = { name: 'review-final', match: /^Review the change[\s\S]*final-case/, steps: [] };
const WRITE_GREETING = "printf 'hello there\\nworld\\nbye\\n' > greet.txt";
let model: ModelServer;
let flotilla: FlotillaServer;
let repo: TempRepo;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      // The review agent's first message starts "Review the change"; it tries to write (refused: read-only) and answers.
      {
        name: 'review-structured',
        match: /^Review the change[\s\S]*structured-case/,
        steps: [{ type: 'shell', command: 'echo pwned > pwned.txt' }, { type: 'message', text: findingsJson('greet.txt') }],
      },
      finalReview,
      { name: 'review-malformed', match: /^Review the change[\s\S]*malformed-case/, steps: [{ type: 'message', text: 'Looks fine to me.' }] },
      {
        name: 'greeting',
        match: /^Write the greeting/,
        steps: [{ type: 'shell', command: WRITE_GREETING }, { type: 'message', text: 'Wrote greet.txt.' }, { type: 'message', text: 'Addressed the comments.' }],
      },
      {
        name: 'workflow',
        match: /^Add a CI workflow/,
        steps: [{ type: 'shell', command: "mkdir -p .github/workflows && printf 'on: push\\n' > .github/workflows/ci.yml && printf 'x\\n' > notes.txt" }, { type: 'message', text: 'Added.' }],
      },
      { name: 'default', steps: [{ type: 'message', text: 'nothing to do' }] },
    ],
  });
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  repo = await makeTempRepo({ files: { 'README.md': '# demo\n', 'greet.txt': 'hello there\nold world\nbye\n' } });
  await flotilla.cliJson(['repo', 'add', repo.path]);
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

async function newTask(prompt: string): Promise<TaskJson> {
  const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', prompt, '--wait']);
  expect(task.status, `task "${prompt}"`).toBe('review');
  return task;
}

/** The text of the last user message of a recorded Responses API request. */
function lastUserText(request: RecordedRequest): string {
  const input = (request.body as { input?: unknown }).input;
  if (!Array.isArray(input)) return '';
  const users = input.filter((item: { role?: string }) => item.role === 'user') as { content: unknown }[];
  const content = users.at(-1)?.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

describe('comments and Request changes', () => {
  let task: TaskJson;
  beforeAll(async () => {
    task = await newTask('Write the greeting file');
  });

  it('refuses comments off the diff with a one-line reason, and bad usage', async () => {
    const notInDiff = await flotilla.cli(['task', 'comment', task.id, '--file', 'README.md', '--line', '1', '--text', 'x']);
    expect(notInDiff.code).toBe(1);
    expect(notInDiff.stderr.trim()).toBe(`flotilla: README.md is not in the diff of task ${task.id}; comment on a file it changes`);
    const lineOff = await flotilla.cli(['task', 'comment', task.id, '--file', 'greet.txt', '--line', '40', '--text', 'x']);
    expect(lineOff.code).toBe(1);
    expect(lineOff.stderr.trim()).toBe('flotilla: line 40 of greet.txt is not in the diff; the diff shows lines 1-3');
    const backwards = await flotilla.cli(['task', 'comment', task.id, '--file', 'greet.txt', '--line', '3', '--end-line', '2', '--text', 'x']);
    expect(backwards.code).toBe(1);
    expect((await flotilla.cli(['task', 'comment', task.id, '--file', 'greet.txt', '--line', 'two', '--text', 'x'])).code).toBe(2);
    expect((await flotilla.cli(['task', 'comment', task.id, '--file', 'greet.txt', '--line', '2'])).code).toBe(2);
    const unknown = await flotilla.cli(['task', 'comment', 'nope', '--file', 'greet.txt', '--line', '2', '--text', 'x']);
    expect(unknown.stderr.trim()).toBe('flotilla: no task with id "nope"');
    expect(await flotilla.cliJson<CommentJson[]>(['task', 'comments', task.id])).toEqual([]);
  });

  it('sends the comments as the next turn, with file, lines, quoted lines and text; they record the turn that answered them', async () => {
    const first = await flotilla.cliJson<CommentJson>(['task', 'comment', task.id, '--file', 'greet.txt', '--line', '1', '--end-line', '2', '--text', 'Greet the world by name']);
    expect(first).toMatchObject({ file: 'greet.txt', startLine: 1, endLine: 2, quote: 'hello there\nworld', sentAt: null });
    await flotilla.cliJson(['task', 'comment', task.id, '--file', 'greet.txt', '--line', '3', '--text', 'Say goodbye politely']);
    const listed = await flotilla.cliJson<CommentJson[]>(['task', 'comments', task.id]);
    expect(listed.map((c) => c.text)).toEqual(['Greet the world by name', 'Say goodbye politely']);

    const done = await flotilla.cliJson<TaskJson>(['task', 'request-changes', task.id, '--message', 'Two things to fix.', '--wait']);
    expect(done.status).toBe('review');

    const followUp = model.requests.filter((r) => r.scenario === 'greeting' && r.turn === 2);
    expect(followUp).toHaveLength(1);
    const text = lastUserText(followUp[0] as RecordedRequest);
    expect(text).toContain('Two things to fix.');
    expect(text).toContain('1. greet.txt, lines 1-2:\n> hello there\n> world\nGreet the world by name');
    expect(text).toContain('2. greet.txt, line 3:\n> bye\nSay goodbye politely');

    const after = await flotilla.cliJson<CommentJson[]>(['task', 'comments', task.id]);
    expect(after.map((c) => [c.answeredInTurn, c.sentAt !== null])).toEqual([
      [2, true],
      [2, true],
    ]);
    const human = await flotilla.cli(['task', 'comments', task.id]);
    expect(human.stdout).toContain('(sent, answered in turn 2)');
    // Nothing left to send: refused, nothing queued.
    const again = await flotilla.cli(['task', 'request-changes', task.id]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toMatch(/has no unsent comments/);
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status).toBe('review');
  });
});

describe('protected paths', () => {
  it('refuses an invalid glob and keeps the old ones; a task touching one merges only when approved', async () => {
    const repos = await flotilla.cliJson<{ id: string; path: string }[]>(['repo', 'list']);
    const repoId = repos.find((r) => r.path === repo.path)?.id ?? '';
    const set = await flotilla.cliJson<{ protectedPaths: string[] }>(['repo', 'config', repoId, '--protect', '.github/workflows/**, *.lock']);
    expect(set.protectedPaths).toEqual(['.github/workflows/**', '*.lock']);
    const invalid = await flotilla.cli(['repo', 'config', repoId, '--protect', 'src/[ab']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr.trim()).toBe('flotilla: Nothing was saved. invalid glob "src/[ab": a [ without its ]');
    expect((await flotilla.cliJson<{ protectedPaths: string[] }>(['repo', 'config', repoId])).protectedPaths).toEqual(['.github/workflows/**', '*.lock']);

    const task = await newTask('Add a CI workflow and notes');
    // What the merge button and the card name before the user merges.
    const lookup = findRunningServer(flotilla.home);
    if (!lookup.ok) throw new Error(lookup.message);
    const preview = await new HostClient(lookup.info).invoke('tasks.protectedFiles', { id: task.id });
    expect(preview).toEqual({ ok: true, value: { ok: true, files: ['.github/workflows/ci.yml'], patterns: ['.github/workflows/**', '*.lock'] } });
    const mainBefore = git(repo.path, 'rev-parse', 'main');
    const refused = await flotilla.cli(['task', 'merge', task.id, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, kind: 'protected', files: ['.github/workflows/ci.yml'] });
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(git(repo.path, 'rev-parse', 'main')).toBe(mainBefore);
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status).toBe('review');

    const merged = await flotilla.cliJson<{ ok: boolean }>(['task', 'merge', task.id, '--approve-protected']);
    expect(merged.ok).toBe(true);
    expect(git(repo.path, 'show', 'main:.github/workflows/ci.yml')).toBe('on: push');

    const cleared = await flotilla.cliJson<{ protectedPaths: string[] }>(['repo', 'config', repoId, '--protect', '']);
    expect(cleared.protectedPaths).toEqual([]);
  });
});

describe('AI review', () => {
  interface ReviewJson {
    ok: true;
    overallCorrectness: string;
    overallExplanation: string;
    findings: CommentJson[];
  }

  it('reads structured findings from a read-only review agent, asked with a json_schema format; chosen findings go to the agent', async () => {
    const task = await newTask('Write the greeting for structured-case');
    const review = await flotilla.cliJson<ReviewJson>(['task', 'review', task.id]);
    expect(review).toMatchObject({ ok: true, overallCorrectness: 'patch is incorrect', overallExplanation: 'One real problem.' });
    expect(review.findings.map((f) => [f.kind, f.file, f.startLine, f.quote, f.priority, f.title])).toEqual([['finding', 'greet.txt', 2, 'world', 1, 'Greeting lost its name']]);
    // Read-only: the reviewer's write was refused.
    expect(fs.existsSync(path.join(task.worktreePath, 'pwned.txt'))).toBe(false);
    const afterWrite = model.requests.find((r) => r.scenario === 'review-structured' && r.turn === 1);
    expect(JSON.stringify(afterWrite?.body)).toMatch(/Read-only file system/);
    const first = model.requests.find((r) => r.scenario === 'review-structured' && r.turn === 0);
    const body = first?.body as { text?: { format?: { type?: string; name?: string } }; instructions?: string };
    expect(body.text?.format).toMatchObject({ type: 'json_schema', name: 'code_review' });
    expect(body.instructions).toMatch(/^You are a code reviewer/);
    const firstMessage = lastUserText(first as RecordedRequest);
    expect(firstMessage).toContain('Write the greeting for structured-case');
    expect(firstMessage).toContain('+world');
    // The task itself is untouched by its review.
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status).toBe('review');

    const findingId = review.findings[0]?.id ?? '';
    const badChoice = await flotilla.cli(['task', 'request-changes', task.id, '--finding', 'nope']);
    expect(badChoice.code).toBe(1);
    expect(badChoice.stderr.trim()).toBe(`flotilla: task ${task.id} has no AI finding with id "nope"`);
    await flotilla.cliJson(['task', 'request-changes', task.id, '--finding', findingId, '--wait']);
    const followUp = model.requests.find((r) => r.scenario === 'greeting' && r.turn === 2 && lastUserText(r).includes('Greeting lost its name'));
    expect(lastUserText(followUp as RecordedRequest)).toContain('1. [P1] Greeting lost its name: greet.txt, line 2:\n> world\nThe second line no longer says who is greeted.');
  });

  it('accepts the findings from a final message, with the file named by its absolute path in the worktree', async () => {
    const task = await newTask('Write the greeting for final-case');
    // The server reads its scenarios per request: the answer can name this task's worktree.
    finalReview.steps = [{ type: 'message', text: `My review:\n\n\`\`\`json\n${findingsJson(path.join(task.worktreePath, 'greet.txt'))}\n\`\`\`\n` }];
    const human = await flotilla.cli(['task', 'review', task.id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('AI review: patch is incorrect (confidence 0.8)');
    expect(human.stdout).toMatch(/finding P1 Greeting lost its name {2}greet\.txt line 2 {2}\(unsent\)\n {2}> world\n/);
    const stored = await flotilla.cliJson<CommentJson[]>(['task', 'comments', task.id]);
    expect(stored.map((c) => [c.kind, c.file])).toEqual([['finding', 'greet.txt']]);
    const events = await flotilla.cli(['task', 'log', task.id]);
    expect(events.stdout).toContain('AI review: patch is incorrect; 1 finding (1 outside the worktree dropped)');
  });

  it('says clearly when the answer holds no findings JSON, and stores nothing', async () => {
    const task = await newTask('Write the greeting for malformed-case');
    const result = await flotilla.cli(['task', 'review', task.id, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, kind: 'invalid_state' });
    expect(result.stderr.trim()).toBe('flotilla: the review agent\'s answer holds no findings JSON (it said: "Looks fine to me.")');
    expect(await flotilla.cliJson<CommentJson[]>(['task', 'comments', task.id])).toEqual([]);
  });

  it('refuses an unknown task', async () => {
    const result = await flotilla.cli(['task', 'review', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('flotilla: no task with id "nope"');
  });
});
