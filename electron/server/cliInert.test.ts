import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../shared/model/task.js';
import { serveRealHost, type ServedHost } from '../../test/fixtures/realHost.js';
import type { CliIo } from './cliIo.js';

/**
 * Every CLI command against the real host, whose task holds hostile text the real way: the
 * scripted model writes it into its messages, its commands (and their output), its approval
 * reason and its API error; the task's title and a file name the agent made carry it too.
 * Nothing printed, human or --json, may carry a character a terminal acts on or that reorders
 * text, and no model-written line may start at column 0. Only `task diff` into a pipe stays exact.
 */

/** Raw characters that must never reach a terminal (C0 but \n \t, DEL, C1, bidi, invisible). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;
const FORGED = '\n$ rm -rf ~   [exit 0]\n-- checkpoint deadbeef00 (1 file)\n?? approval asked for `sh`: approved once\nflotilla: all fine';
const HOSTILE = `done\x1b]0;pwned\x07\x1b[2K\rall good\u009b31m\u202eevil\u2066${FORGED}`;
const TITLE = `Title\x1b]0;t\x07\u202e${FORGED}`;
/**
 * Output with colour, `\r\n` and a bidi override; a heredoc whose lines forge the transcript
 * (an erase-line escape in the command itself); a file of escapes for the diff.
 */
const COMMAND = `printf 'out\\033[31m red\\r\\n\\342\\200\\256ltr\\n'; cat <<'EOF' # \x1b[2K${FORGED}\nEOF\nprintf '\\033]0;pwned\\007\\342\\200\\256\\n' > evil.txt`;
/** What `git merge-tree` names the agent's second file: an OSC title, a newline and a forged command. */
const HOSTILE_FILE = 'b\x1b]0;x\x07\n$ rm -rf ~';

let served: ServedHost;
/** Failed, after a turn of hostile text, a denied approval and a follow-up whose model call failed. */
let task: Task;
/** In review, with files that conflict with what the user committed on main since. */
let conflicting: Task;

beforeAll(async () => {
  served = await serveRealHost({
    scenarios: [
      {
        name: 'hostile',
        match: 'fix it',
        steps: [
          { type: 'shell', command: COMMAND },
          { type: 'shell', command: `curl x${FORGED}`, network: true, justification: HOSTILE },
          { type: 'message', text: HOSTILE },
          { type: 'fault', status: 400, body: JSON.stringify({ error: { message: HOSTILE } }) },
        ],
      },
      {
        name: 'conflict',
        match: 'Make a conflict',
        steps: [
          { type: 'shell', command: `printf 'agent\\n' > a.txt; printf 'agent\\n' > "$(printf 'b\\033]0;x\\007\\n$ rm -rf ~')"` },
          { type: 'message', text: 'Both files written.' },
        ],
      },
      { name: 'slow', match: 'Think long', steps: [{ type: 'hang', ms: 60_000 }, { type: 'message', text: 'done thinking' }] },
    ],
  });
  const repo = await served.addRepo();
  [task, conflicting] = await Promise.all([
    (async () => {
      const created = await served.createTask({ repo: repo.id, prompt: `fix it${FORGED}`, title: TITLE });
      await served.waitForStatus(created.id, 'needs_input');
      const denied = await served.host.handlers['tasks.deny']({ id: created.id, message: `no${FORGED}` });
      if (!denied.ok) throw new Error(denied.message);
      await served.waitForStatus(created.id, 'review');
      const sent = await served.run(['task', 'send', created.id, '--message', `and now the tests${FORGED}`, '--wait']);
      if (sent.code !== 1) throw new Error(`task send: ${sent.out} ${sent.err.join('\n')}`);
      return served.waitForStatus(created.id, 'failed');
    })(),
    (async () => {
      const created = await served.createTask({ repo: repo.id, prompt: 'Make a conflict' });
      return served.waitForStatus(created.id, 'review');
    })(),
  ]);
  // The user commits other contents under the same names on main.
  for (const name of ['a.txt', HOSTILE_FILE]) fs.writeFileSync(path.join(repo.path, name), 'user\n');
  const git = (...args: string[]) => execFileSync('git', ['-C', repo.path, '-c', 'user.name=U', '-c', 'user.email=u@example.invalid', ...args], { encoding: 'utf8' });
  git('add', '--all');
  git('commit', '--quiet', '--no-verify', '-m', 'the user wrote them too');
});

afterAll(async () => {
  await served.stop();
});

async function run(argv: string[], extra: Partial<CliIo> = {}) {
  const result = await served.run(argv, extra);
  return { ...result, err: result.err.join('\n') };
}

/** No unsafe character, and no line at column 0 that Flotilla did not start. */
function expectInert(text: string, label: string): void {
  expect(text, label).not.toMatch(UNSAFE);
  for (const line of text.split('\n')) {
    expect(line, `${label}: ${line}`).not.toMatch(/^(\$ rm|-- checkpoint deadbeef|\?\? approval asked for `sh`|flotilla: all fine)/);
  }
}

describe('the CLI prints model-controlled text inert', () => {
  it('task log, task log --follow, task show, task list: human text', async () => {
    for (const argv of [
      ['task', 'log', task.id],
      ['task', 'log', task.id, '--follow'],
      ['task', 'show', task.id],
      ['task', 'list'],
    ]) {
      const result = await run(argv);
      // --follow ends with the task's outcome: it failed.
      expect(result.code, argv.join(' ')).toBe(argv.includes('--follow') ? 1 : 0);
      expectInert(result.out, argv.join(' '));
    }
  });

  it('shows what was there: escapes in place, continuation lines indented, a heredoc after `> `', async () => {
    const { out } = await run(['task', 'log', task.id]);
    expect(out).toContain("cat <<'EOF' # \\u001b[2K\n> $ rm -rf ~   [exit 0]\n> -- checkpoint deadbeef00 (1 file)\n");
    // The output's colour never reached the journal (the host keeps plain text); its bidi override shows escaped.
    expect(out).toContain('evil.txt   [exit 0]\n  out red\n  \\u202eltr\n  $ rm -rf ~   [exit 0]\n');
    expect(out).toContain('?? approval asked for `curl x\n  $ rm -rf ~   [exit 0]\n');
    expect(out).toContain('-- failed: model API error 400 at ');
    const list = await run(['task', 'list']);
    // One row per task: the title's newlines are escaped, not broken.
    expect(list.out.split('\n')).toHaveLength((await served.host.handlers['tasks.list']({})).tasks.length + 1);
    expect(list.out).toContain('Title\\u001b]0;t\\u0007\\u202e\\u000a$ rm -rf ~');
  });

  it('--json output parses to exactly the original text', async () => {
    const log = await run(['task', 'log', task.id, '--json']);
    expectInert(log.out, 'task log --json');
    const events = JSON.parse(log.out) as Array<{ body: { kind: string; text?: string } }>;
    expect(events.find((e) => e.body.kind === 'agent_message')?.body.text).toBe(HOSTILE);

    const follow = await run(['task', 'log', task.id, '--follow', '--json']);
    expectInert(follow.out, 'task log --follow --json');
    expect(follow.out.split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(events);

    for (const argv of [['task', 'show', task.id, '--json'], ['task', 'list', '--json'], ['task', 'diff', task.id, '--json']]) {
      const result = await run(argv);
      expectInert(result.out, argv.join(' '));
      expect(JSON.stringify(JSON.parse(result.out))).toMatch(/\\u001b|\\u202e/);
    }
    const shown = JSON.parse((await run(['task', 'show', task.id, '--json'])).out) as { title: string; statusReason: string };
    expect(shown.title).toBe(`Title\x1b]0;t\x07\u202e${FORGED}`);
    // The model's error as the host reports it: on one line (whitespace folded), escapes kept.
    expect(shown.statusReason).toBe(`model API error 400 at ${served.model.url}: ${HOSTILE.replace(/\s+/g, ' ')}`);
  });

  it('errors on stderr: one line per file name, the message going on indented', async () => {
    const merge = await run(['task', 'merge', conflicting.id]);
    expect(merge.code).toBe(1);
    expectInert(merge.err, 'task merge');
    expect(merge.err).toMatch(/^flotilla: Merging flotilla\/make-a-conflict into main would conflict in 2 file\(s\): /);
    // In the message the name's newline starts an indented line; in the list it is escaped.
    expect(merge.err).toContain('b\\u001b]0;x\\u0007\n  $ rm -rf ~');
    expect(merge.err).toMatch(/ \(a\.txt, b\\u001b]0;x\\u0007\\u000a\$ rm -rf ~\)$/);
  });

  it('task diff: exact bytes into a file or pipe, inert on a terminal or when unknown', async () => {
    const piped = await run(['task', 'diff', task.id], { isStdoutTerminal: false });
    // The patch git itself gives, byte for byte.
    const patch = execFileSync('git', ['-C', task.repoPath, 'diff', '--no-color', `${task.baseCommit}...${task.branch}`], { encoding: 'utf8' });
    expect(piped.out).toBe(patch);
    expect(piped.out).toContain('+++ b/evil.txt\n@@ -0,0 +1 @@\n+\x1b]0;pwned\x07\u202e\n');
    for (const extra of [{ isStdoutTerminal: true }, {}]) {
      const shown = await run(['task', 'diff', task.id], extra);
      expectInert(shown.out, 'task diff on a terminal');
      expect(shown.out).toContain('+\\u001b]0;pwned\\u0007\\u202e');
    }
  });

  it('task stop prints the task on one line', async () => {
    const thinking = await served.createTask({ repo: task.repoId, prompt: 'Think long', title: TITLE });
    await served.waitForStatus(thinking.id, 'running');
    const stopped = await run(['task', 'stop', thinking.id]);
    expect(stopped.code).toBe(0);
    expectInert(stopped.out, 'task stop');
    expect(stopped.out.split('\n')).toHaveLength(1);
    expect(stopped.out).toContain('Title\\u001b]0;t\\u0007\\u202e\\u000a$ rm -rf ~');
  });
});
