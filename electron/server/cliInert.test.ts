import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../shared/contract.js';
import { main } from './cli.js';
import type { CliIo } from './cliIo.js';
import { createFakeHost, type FakeHost } from './testing/fakeHost.js';

/**
 * Every CLI command against a (fake) host whose tasks hold hostile text: nothing printed,
 * human or --json, may carry a character a terminal acts on or that reorders text, and no
 * model-written line may start at column 0. Only `task diff` into a pipe stays exact.
 */

/** Raw characters that must never reach a terminal (C0 but \n \t, DEL, C1, bidi, invisible). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;
const FORGED = '\n$ rm -rf ~   [exit 0]\n-- checkpoint deadbeef00 (1 file)\n?? approval asked for `sh`: approved once\nflotilla: all fine';
const HOSTILE = `done\x1b]0;pwned\x07\x1b[2K\rall good\u009b31m\u202eevil\u2066${FORGED}`;
const DIFF_PATCH = 'diff --git a/evil.txt b/evil.txt\nnew file mode 100644\n--- /dev/null\n+++ b/evil.txt\n@@ -0,0 +1 @@\n+\x1b]0;pwned\x07\u202e\n';

let home: string;
let repoDir: string;
let host: FakeHost;
let stop: () => void;
let served: Promise<number>;
let taskId: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-inert-'));
  repoDir = path.join(home, 'repo');
  fs.mkdirSync(path.join(repoDir, '.git'), { recursive: true });
  host = createFakeHost({
    home,
    overrides: {
      'tasks.diff': async ({ id }) => ({
        ok: true,
        diff: {
          fromCommit: 'a'.repeat(40),
          toCommit: 'b'.repeat(40),
          files: [{ path: 'evil.txt', oldPath: null, change: 'added', additions: 1, deletions: 0, patch: DIFF_PATCH, isTruncated: id === 'never' }],
        },
      }),
      'tasks.merge': async () => failure('conflict', `merge failed:\n$ rm -rf ~   [exit 0]\x1b[2K`, ['a.txt', `b\x1b]0;x\x07\n$ rm -rf ~`]),
    },
  });
  await host.handlers['repos.add']({ path: repoDir });
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const out: string[] = [];
  served = main(['serve', '--port', '0'], { ...capture(out, []), createHost: async () => host, stopSignal: stopped });
  while (out.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

  const created = await host.handlers['tasks.create']({ repo: repoDir, prompt: `fix it${FORGED}`, title: `Title\x1b]0;t\x07\u202e${FORGED}`, start: true });
  if (!created.ok) throw new Error(created.message);
  taskId = created.task.id;
  host.move(taskId, 'running');
  host.record(taskId, { kind: 'agent_message', text: HOSTILE });
  host.record(taskId, { kind: 'command_started', callId: 'c1', command: `cat <<'EOF'\x1b[2K${FORGED}\nEOF` });
  host.record(taskId, { kind: 'command_output', callId: 'c1', chunk: `out\x1b[31m red\r\n\u202eltr${FORGED}\r\n` });
  host.record(taskId, { kind: 'command_finished', callId: 'c1', exitCode: 0, durationMs: 3, isKilled: false });
  const request = { requestId: 'q1', callId: 'c2', kind: 'escalation' as const, command: `curl x${FORGED}`, reason: HOSTILE, widening: { network: true, writablePaths: [] }, requestedAt: 1 };
  host.record(taskId, { kind: 'approval_requested', request });
  host.record(taskId, { kind: 'approval_decided', requestId: 'q1', decision: { decision: 'deny', scope: 'once', message: `no${FORGED}` } });
  host.record(taskId, { kind: 'error', message: HOSTILE });
  host.move(taskId, 'failed', `git said: fatal: bad file name\n${HOSTILE}`);
});

afterAll(async () => {
  stop();
  await served;
  fs.rmSync(home, { recursive: true, force: true });
});

function capture(out: string[], err: string[], extra: Partial<CliIo> = {}): CliIo {
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: os.tmpdir(), env: { ...process.env, FLOTILLA_HOME: home }, ...extra };
}

async function run(argv: string[], extra: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, capture(out, err, extra));
  return { code, out: out.join('\n'), err: err.join('\n') };
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
      ['task', 'log', taskId],
      ['task', 'log', taskId, '--follow'],
      ['task', 'show', taskId],
      ['task', 'list'],
    ]) {
      const result = await run(argv);
      // --follow ends with the task's outcome: it failed.
      expect(result.code, argv.join(' ')).toBe(argv.includes('--follow') ? 1 : 0);
      expectInert(result.out, argv.join(' '));
    }
  });

  it('shows what was there: escapes in place, continuation lines indented, a heredoc after `> `', async () => {
    const { out } = await run(['task', 'log', taskId]);
    expect(out).toContain('agent: done\\u001b]0;pwned\\u0007\\u001b[2K\\u000dall good\\u009b31m\\u202eevil\\u2066\n  $ rm -rf ~   [exit 0]');
    expect(out).toContain("$ cat <<'EOF'\\u001b[2K\n> $ rm -rf ~   [exit 0]\n");
    expect(out).toContain('> EOF   [exit 0]\n  out\\u001b[31m red\n  \\u202eltr\n  $ rm -rf ~   [exit 0]');
    const list = await run(['task', 'list']);
    // One row per task: the title's newlines are escaped, not broken.
    expect(list.out.split('\n')).toHaveLength(2);
    expect(list.out).toContain('Title\\u001b]0;t\\u0007\\u202e\\u000a$ rm -rf ~');
  });

  it('--json output parses to exactly the original text', async () => {
    const log = await run(['task', 'log', taskId, '--json']);
    expectInert(log.out, 'task log --json');
    const events = JSON.parse(log.out) as Array<{ body: { kind: string; text?: string } }>;
    expect(events.find((e) => e.body.kind === 'agent_message')?.body.text).toBe(HOSTILE);

    const follow = await run(['task', 'log', taskId, '--follow', '--json']);
    expectInert(follow.out, 'task log --follow --json');
    expect(follow.out.split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(events);

    for (const argv of [['task', 'show', taskId, '--json'], ['task', 'list', '--json'], ['task', 'diff', taskId, '--json']]) {
      const result = await run(argv);
      expectInert(result.out, argv.join(' '));
      expect(JSON.stringify(JSON.parse(result.out))).toMatch(/\\u001b|\\u202e/);
    }
    const shown = JSON.parse((await run(['task', 'show', taskId, '--json'])).out) as { title: string; statusReason: string };
    expect(shown.title).toBe(`Title\x1b]0;t\x07\u202e${FORGED}`);
    expect(shown.statusReason).toBe(`git said: fatal: bad file name\n${HOSTILE}`);
  });

  it('errors on stderr: one line per file name, the message going on indented', async () => {
    const merge = await run(['task', 'merge', taskId]);
    expect(merge.code).toBe(1);
    expectInert(merge.err, 'task merge');
    expect(merge.err).toBe('flotilla: merge failed:\n  $ rm -rf ~   [exit 0]\\u001b[2K (a.txt, b\\u001b]0;x\\u0007\\u000a$ rm -rf ~)');
  });

  it('task diff: exact bytes into a file or pipe, inert on a terminal or when unknown', async () => {
    const piped = await run(['task', 'diff', taskId], { isStdoutTerminal: false });
    expect(piped.out).toBe(DIFF_PATCH);
    for (const extra of [{ isStdoutTerminal: true }, {}]) {
      const shown = await run(['task', 'diff', taskId], extra);
      expectInert(shown.out, 'task diff on a terminal');
      expect(shown.out).toContain('+\\u001b]0;pwned\\u0007\\u202e');
    }
  });

  // Last: it changes the task's status reason.
  it('task stop prints the task on one line', async () => {
    const stopped = await run(['task', 'stop', taskId]);
    expect(stopped.code).toBe(0);
    expectInert(stopped.out, 'task stop');
    expect(stopped.out.split('\n')).toHaveLength(1);
  });
});
