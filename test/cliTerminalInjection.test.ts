import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as nodePty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOTILLA_BIN, startFlotilla, type CliResult, type FlotillaServer } from './fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';

/**
 * SECURITY.md test 17, through the real host and the real CLI: a prompt-injected model writes
 * terminal escapes (retitle with OSC 0, erase a line, return the cursor, an 8-bit CSI), a bidi
 * override and forged transcript lines into its message, its command lines, their output, its
 * approval reason and the task's status reason. Whatever `task log`, `task show` and
 * `task list` print, human or --json, carries none of those characters raw, and no line the
 * model wrote starts at column 0. `task diff` into a pipe stays byte-exact; on a terminal it is inert.
 */

interface TaskJson {
  id: string;
  title: string;
  status: string;
  statusReason: string | null;
  worktreePath: string;
  branch: string;
}

const FORGED = '\n$ rm -rf ~   [exit 0]\n-- checkpoint 0123456789 (1 file)';
const MESSAGE = `All done.\x1b]0;pwned\x07\x1b[2K\rEverything passed\u009b2K\u202eexe.live${FORGED}`;
const REASON = `fetch the fixtures\x1b]0;reason-pwned\x07\u202e${FORGED}`;
/** A command line with escapes, a heredoc that forges a line, and output with escapes and a bidi override. */
const COMMAND = `printf 'banner\x1b]0;out-pwned\x07 \u202eevil\\n'; cat <<'EOF' # \x1b[2K${FORGED}\nEOF\nprintf 'esc \\033[2K\\r done\\n' > banner.txt`;
const APPROVAL_COMMAND = `echo '\x1b]0;approve-pwned\x07\u202e'`;
const TITLE = `Banner\x1b]0;title-pwned\x07\u202e${FORGED}`;

/** C0 but \n and \t, DEL, C1, bidi controls and the invisible format characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: TempRepo;
let task: TaskJson;
/** What `task deny` printed: the task's line, hostile title and status reason included. */
let denied: CliResult;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'injected',
        match: 'Print the banner',
        steps: [
          { type: 'shell', command: COMMAND },
          { type: 'shell', command: APPROVAL_COMMAND, network: true, justification: REASON },
          { type: 'message', text: MESSAGE },
        ],
      },
    ],
  });
  repo = await makeTempRepo({ files: { 'README.md': '# demo\n' } });
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  expect((await flotilla.cli(['repo', 'add', repo.path])).code).toBe(0);
  const asked = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Print the banner', '--title', TITLE, '--wait']);
  expect(asked.status).toBe('needs_input');
  // The status reason quotes the command the model wants approved.
  expect(asked.statusReason).toContain('\x1b]0;approve-pwned');
  denied = await flotilla.cli(['task', 'deny', asked.id, '--reason', 'no network']);
  expect(denied.code).toBe(0);
  task = await waitForStatus(asked.id, 'review');
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

async function waitForStatus(id: string, status: string): Promise<TaskJson> {
  for (;;) {
    const log = await flotilla.cli(['task', 'log', id, '--follow', '--json']);
    expect(log.code).toBe(0);
    const shown = await flotilla.cliJson<TaskJson>(['task', 'show', id]);
    if (shown.status === status) return shown;
    // needs_input only until the denial reaches the agent; anything else is a failure.
    if (!['running', 'queued', 'needs_input'].includes(shown.status)) throw new Error(`task ${id} is ${shown.status}: ${shown.statusReason}`);
  }
}

/** No raw unsafe character on stdout or stderr, and no line at column 0 that the model wrote. */
function expectInert(result: CliResult, label: string): void {
  for (const [stream, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
    const at = UNSAFE.exec(text);
    expect(at && `${stream} has U+${at[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, at.index - 40), at.index + 40))}`, label).toBeNull();
    const forged = text.split('\n').filter((line) => /^(\$ rm|-- checkpoint 0123456789)/.test(line));
    expect(forged, `${label} ${stream}`).toEqual([]);
  }
}

describe('terminal escapes from the model never reach the terminal', () => {
  it('task log prints every hostile item inert, with the forged lines indented', async () => {
    const log = await flotilla.cli(['task', 'log', task.id]);
    expect(log.code).toBe(0);
    expectInert(log, 'task log');
    expect(log.stdout).toContain('agent: All done.\\u001b]0;pwned\\u0007\\u001b[2K\\u000dEverything passed\\u009b2K\\u202eexe.live\n  $ rm -rf ~   [exit 0]');
    expect(log.stdout).toContain("$ printf 'banner\\u001b]0;out-pwned\\u0007 \\u202eevil\\n'; cat <<'EOF' # \\u001b[2K\n> $ rm -rf ~   [exit 0]\n");
    // The command's output: the bidi override shown, the heredoc's forged line indented.
    expect(log.stdout).toMatch(/\n {2}banner \\u202eevil\n {2}\$ rm -rf ~ {3}\[exit 0\]\n/);
    expect(log.stdout).toContain('?? approval asked for `echo \'\\u001b]0;approve-pwned\\u0007\\u202e\'` (fetch the fixtures\\u001b]0;reason-pwned');
  });

  it('task deny prints the task on one line', () => {
    expectInert(denied, 'task deny');
    expect(denied.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('task log --follow, task show and task list too', async () => {
    for (const argv of [
      ['task', 'log', task.id, '--follow'],
      ['task', 'show', task.id],
      ['task', 'list'],
    ]) {
      const result = await flotilla.cli(argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expectInert(result, argv.join(' '));
    }
    const list = await flotilla.cli(['task', 'list']);
    // A header and one row: the title's newlines cannot add rows.
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(list.stdout).toContain('Banner\\u001b]0;title-pwned\\u0007\\u202e\\u000a$ rm -rf ~');
  });

  it('--json is inert too, and parses to exactly what the model wrote', async () => {
    const log = await flotilla.cli(['task', 'log', task.id, '--json']);
    expectInert(log, 'task log --json');
    const events = JSON.parse(log.stdout) as Array<{ body: { kind: string; text?: string; command?: string; request?: { reason: string } } }>;
    expect(events.find((e) => e.body.kind === 'agent_message')?.body.text).toBe(MESSAGE);
    expect(events.find((e) => e.body.kind === 'command_started')?.body.command).toBe(COMMAND);
    expect(events.find((e) => e.body.kind === 'approval_requested')?.body.request?.reason).toBe(REASON);

    const follow = await flotilla.cli(['task', 'log', task.id, '--follow', '--json']);
    expectInert(follow, 'task log --follow --json');
    expect(follow.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(events);

    for (const argv of [['task', 'show', task.id], ['task', 'list']]) {
      const result = await flotilla.cli([...argv, '--json']);
      expectInert(result, `${argv.join(' ')} --json`);
    }
    const shown = await flotilla.cliJson<TaskJson>(['task', 'show', task.id]);
    expect(shown.title).toBe(TITLE);
  });

  it('task diff into a pipe is the exact patch, which git applies', async () => {
    const diff = await flotilla.cli(['task', 'diff', task.id]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('+esc \x1b[2K\r done');
    const patch = path.join(flotilla.home, 'banner.patch');
    fs.writeFileSync(patch, diff.stdout);
    // Exact bytes: git takes the patch, control characters and all.
    execFileSync('git', ['-C', repo.path, 'apply', '--check', patch]);
    expect(fs.readFileSync(path.join(task.worktreePath, 'banner.txt'), 'utf8')).toBe('esc \x1b[2K\r done\n');
  });

  it('task diff on a terminal is inert', async () => {
    const shown = await onTerminal(['task', 'diff', task.id]);
    expect(shown.code).toBe(0);
    // The terminal's own line discipline turns \n into \r\n; nothing else may carry a control.
    expectInert({ code: shown.code, stdout: shown.output.replace(/\r\n/g, '\n'), stderr: '' }, 'task diff on a terminal');
    expect(shown.output).toContain('+esc \\u001b[2K\\u000d done');
  });
});

/** Runs `flotilla ARGS` with a pty as its stdout, as a user at a terminal would. */
function onTerminal(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = nodePty.spawn(process.execPath, [FLOTILLA_BIN, ...args], {
      cols: 200,
      rows: 50,
      env: { ...process.env, FLOTILLA_HOME: flotilla.home } as Record<string, string>,
    });
    let output = '';
    child.onData((data) => (output += data));
    child.onExit(({ exitCode }) => resolve({ code: exitCode, output }));
  });
}
