import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';
import { makeTempHome, startFlotilla, type FlotillaServer } from './fixtures/flotillaProcess.js';
import { HostClient, type HostEvent } from '../electron/server/hostClient.js';
import { findRunningServer } from '../electron/transport/serverFile.js';

/**
 * Merging as a user scripts it with the CLI against a real `flotilla serve` and real repos
 * (paths with spaces and unicode): the three strategies, conflicts predicted between open
 * tasks and reported by the second merge, uncommitted work refused unless included, the
 * user's dirty checkout left byte for byte, discard then restore, and pull requests through a
 * stub `gh` and a bare remote.
 */

interface TaskJson {
  id: string;
  status: string;
  branch: string;
  baseBranch: string;
  worktreePath: string;
  prUrl?: string | null;
  archivedAt?: number | null;
  conflictsWith?: { taskId: string; files: string[] }[];
  baseConflicts?: string[];
}
interface FailureJson {
  ok: false;
  kind: string;
  message: string;
  files?: string[];
}

const GIT_ID = ['-c', 'user.name=Test User', '-c', 'user.email=user@test.invalid', '-c', 'commit.gpgsign=false'];
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-C', cwd, ...GIT_ID, ...args], { encoding: 'utf8' }).trim();

let model: ModelServer;
let flotilla: FlotillaServer;
let stubDir: string;
let stubGh: string;
const repos: TempRepo[] = [];

async function repoWith(files: Record<string, string>): Promise<string> {
  const repo = await makeTempRepo({ files });
  repos.push(repo);
  await flotilla.cliJson(['repo', 'add', repo.path]);
  return repo.path;
}

async function newTask(repoPath: string, prompt: string): Promise<TaskJson> {
  const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repoPath, '--prompt', prompt, '--wait']);
  expect(task.status, `task "${prompt}"`).toBe('review');
  return task;
}

/** Every file under `dir` (except .git) as path → [mode, bytes]: what "byte-identical" compares. */
function snapshot(dir: string): Map<string, [number, string]> {
  const files = new Map<string, [number, string]>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const relative = path.join(rel, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(relative);
      else files.set(relative, [fs.lstatSync(path.join(dir, relative)).mode, fs.readFileSync(path.join(dir, relative)).toString('base64')]);
    }
  };
  walk('');
  return files;
}

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      { name: 'edit-a', match: 'Variant A', steps: [{ type: 'shell', command: "printf 'shared line from A\\n' > shared.txt" }, { type: 'message', text: 'A done.' }] },
      {
        name: 'edit-b',
        match: 'Variant B',
        steps: [
          { type: 'shell', command: "printf 'shared line from B\\n' > shared.txt" },
          { type: 'message', text: 'B done.' },
          // The "Resolve with agent" turn: the markers are there, then replaced by both sides.
          { type: 'shell', command: "grep -c '^<<<<<<<' shared.txt && printf 'shared line from A and B\\n' > shared.txt" },
          { type: 'message', text: 'Resolved.' },
        ],
      },
      {
        name: 'edit-c-markers-left',
        match: 'Variant C',
        steps: [
          { type: 'shell', command: "printf 'shared line from C\\n' > shared.txt" },
          { type: 'message', text: 'C done.' },
          // The Resolve turn leaves the markers where they are.
          { type: 'shell', command: "printf 'unrelated\\n' > other.txt" },
          { type: 'message', text: 'I could not decide; left as is.' },
          // The follow-up resolves them.
          { type: 'shell', command: "printf 'shared line from A and C\\n' > shared.txt" },
          { type: 'message', text: 'Markers gone.' },
        ],
      },
      // Runs until stopped: a task that is still running when the test tries to merge it.
      { name: 'slow', match: 'A slow job', steps: [{ type: 'shell', command: 'sleep 300' }, { type: 'message', text: 'never reached' }] },
      { name: 'add-file', match: 'Add a notes file', steps: [{ type: 'shell', command: "printf 'notes\\n' > notes.txt" }, { type: 'message', text: 'Added notes.txt.' }] },
      { name: 'default', steps: [{ type: 'message', text: 'nothing to do' }] },
    ],
  });
  // A stub `gh`: signed in unless $STUB_DIR/signed-out exists; `pr create` records its arguments and stdin, prints a URL.
  stubDir = fs.mkdtempSync(path.join(makeTempHome(), 'stub bin '));
  stubGh = path.join(stubDir, 'gh');
  fs.writeFileSync(
    stubGh,
    [
      '#!/bin/sh',
      `dir='${stubDir}'`,
      'if [ "$1" = auth ]; then [ -e "$dir/signed-out" ] && { echo "You are not logged into any GitHub hosts" >&2; exit 1; }; exit 0; fi',
      'if [ "$1" = pr ] && [ "$2" = create ]; then printf "%s\\n" "$@" > "$dir/args"; cat > "$dir/body"; echo "https://github.com/acme/demo/pull/7"; exit 0; fi',
      'echo "unexpected gh $*" >&2; exit 2',
    ].join('\n'),
    { mode: 0o755 },
  );
  flotilla = await startFlotilla({
    env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', PATH: `${stubDir}${path.delimiter}${process.env.PATH ?? ''}` },
  });
});

afterAll(async () => {
  await flotilla?.stop();
  await model?.close();
  await Promise.all(repos.map((repo) => repo.cleanup()));
});

describe('two open tasks editing the same lines', () => {
  let repo: string;
  let a: TaskJson;
  let b: TaskJson;

  beforeAll(async () => {
    repo = await repoWith({ 'shared.txt': 'original line\n', 'README.md': '# demo\n' });
    [a, b] = await Promise.all([newTask(repo, 'Variant A of the shared line'), newTask(repo, 'Variant B of the shared line')]);
  });

  it('are predicted to conflict, on both, in the file they both change', async () => {
    const shownA = await flotilla.cliJson<TaskJson>(['task', 'show', a.id]);
    const shownB = await flotilla.cliJson<TaskJson>(['task', 'show', b.id]);
    expect(shownA.conflictsWith).toEqual([{ taskId: b.id, files: ['shared.txt'] }]);
    expect(shownB.conflictsWith).toEqual([{ taskId: a.id, files: ['shared.txt'] }]);
    const human = await flotilla.cli(['task', 'show', a.id]);
    expect(human.stdout).toContain(`Conflicts with ${b.id} in shared.txt`);
  });

  it('the first merges (merge commit); the second reports the files and changes nothing', async () => {
    const merged = await flotilla.cliJson<{ ok: boolean; commit: string }>(['task', 'merge', a.id, '--strategy', 'merge']);
    expect(merged.ok).toBe(true);
    expect(git(repo, 'rev-list', '--parents', '-n', '1', 'main').split(' ')).toHaveLength(3);
    expect(fs.readFileSync(path.join(repo, 'shared.txt'), 'utf8')).toBe('shared line from A\n');

    const mainBefore = git(repo, 'rev-parse', 'main');
    const checkoutBefore = snapshot(repo);
    const second = await flotilla.cli(['task', 'merge', b.id, '--json']);
    expect(second.code).toBe(1);
    const failure = JSON.parse(second.stdout) as FailureJson;
    expect(failure).toMatchObject({ ok: false, kind: 'conflict', files: ['shared.txt'] });
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(snapshot(repo)).toEqual(checkoutBefore);
    expect(fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(false);
    const stillOpen = await flotilla.cliJson<TaskJson>(['task', 'show', b.id]);
    expect(stillOpen.status).toBe('review');
    expect(fs.existsSync(stillOpen.worktreePath)).toBe(true);
    // A is merged: no longer predicted against anyone; B now conflicts with main itself.
    expect(stillOpen.conflictsWith).toEqual([]);
    expect(stillOpen.baseConflicts).toEqual(['shared.txt']);
  });

  it('a conflicting merge with uncommitted files included takes its checkpoint back: the files are uncommitted again', async () => {
    const tipBefore = git(repo, 'rev-parse', b.branch);
    fs.writeFileSync(path.join(b.worktreePath, 'scratch.txt'), 'not reviewed\n');
    const refused = await flotilla.cli(['task', 'merge', b.id, '--include-uncommitted', '--json']);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, kind: 'conflict', files: ['shared.txt'] });
    expect(git(repo, 'rev-parse', b.branch)).toBe(tipBefore);
    expect(git(b.worktreePath, 'status', '--porcelain')).toBe('?? scratch.txt');
    fs.rmSync(path.join(b.worktreePath, 'scratch.txt'));
  });

  it('Resolve with agent: the base merged into the task with markers, the agent resolves them, then it merges cleanly', async () => {
    const resolved = await flotilla.cliJson<TaskJson>(['task', 'resolve', b.id, '--wait']);
    expect(resolved.status).toBe('review');
    // The agent saw the markers (its grep found one), and its resolution is on the branch.
    const log = await flotilla.cli(['task', 'log', b.id]);
    expect(log.stdout).toContain('Resolved.');
    expect(git(repo, 'show', `${b.branch}:shared.txt`)).toBe('shared line from A and B');
    expect(git(repo, 'merge-base', '--is-ancestor', 'main', b.branch)).toBe('');
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', b.id])).baseConflicts).toEqual([]);
    const merged = await flotilla.cliJson<{ ok: boolean }>(['task', 'merge', b.id, '--strategy', 'squash']);
    expect(merged.ok).toBe(true);
    expect(fs.readFileSync(path.join(repo, 'shared.txt'), 'utf8')).toBe('shared line from A and B\n');
  });

  it('merging an already merged or unknown task fails in one line, exit 1', async () => {
    const again = await flotilla.cli(['task', 'merge', a.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^flotilla: .*already merged/);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    const unknown = await flotilla.cli(['task', 'merge', 'no-such-task']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const badStrategy = await flotilla.cli(['task', 'merge', b.id, '--strategy', 'octopus']);
    expect(badStrategy.code).toBe(2);
  });
});

describe('Resolve with agent, when the agent leaves the conflict markers', () => {
  it('lands in Needs you naming the files, a merge refuses them as a conflict, and a follow-up that removes them brings it to Review', async () => {
    const repo = await repoWith({ 'shared.txt': 'original line\n' });
    const [a, c] = await Promise.all([newTask(repo, 'Variant A of the shared line'), newTask(repo, 'Variant C of the shared line')]);
    expect((await flotilla.cliJson<{ ok: boolean }>(['task', 'merge', a.id, '--strategy', 'merge'])).ok).toBe(true);

    const resolved = await flotilla.cliJson<TaskJson & { statusReason: string | null }>(['task', 'resolve', c.id, '--wait']);
    expect(resolved.status).toBe('needs_input');
    expect(resolved.statusReason).toMatch(/^conflict markers \(<<<<<<<, =======, >>>>>>>\) remain in shared\.txt: the conflicts are not resolved; /);
    expect(git(repo, 'show', `${c.branch}:shared.txt`)).toContain('<<<<<<< ');
    const shown = await flotilla.cli(['task', 'show', c.id]);
    expect(shown.stdout).toContain('remain in shared.txt');

    // Not mergeable from Needs you: one line, exit 1, main untouched.
    const mainBefore = git(repo, 'rev-parse', 'main');
    const refused = await flotilla.cli(['task', 'merge', c.id, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, kind: 'invalid_state' });
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);

    const fixed = await flotilla.cliJson<TaskJson>(['task', 'send', c.id, '--message', 'Remove the markers, keep both lines.', '--wait']);
    expect(fixed.status).toBe('review');
    expect(git(repo, 'show', `${c.branch}:shared.txt`)).toBe('shared line from A and C');

    // Markers written back by hand and included: the merge refuses them as a conflict, naming the
    // file; nothing changes (the files are uncommitted again).
    const tipBefore = git(repo, 'rev-parse', c.branch);
    fs.writeFileSync(path.join(c.worktreePath, 'shared.txt'), '<<<<<<< ours\nmine\n=======\ntheirs\n>>>>>>> main\n');
    const gated = await flotilla.cli(['task', 'merge', c.id, '--include-uncommitted', '--json']);
    expect(gated.code).toBe(1);
    expect(JSON.parse(gated.stdout)).toMatchObject({ ok: false, kind: 'conflict', files: ['shared.txt'] });
    expect(gated.stderr).toMatch(/^flotilla: conflict markers .* remain in shared\.txt.*nothing was changed/);
    expect(gated.stderr.trim().split('\n')).toHaveLength(1);
    expect(git(repo, 'rev-parse', c.branch)).toBe(tipBefore);
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(c.worktreePath, 'status', '--porcelain')).toBe('M shared.txt');

    git(c.worktreePath, 'checkout', '--', 'shared.txt');
    expect((await flotilla.cliJson<{ ok: boolean }>(['task', 'merge', c.id, '--strategy', 'rebase'])).ok).toBe(true);
    expect(fs.readFileSync(path.join(repo, 'shared.txt'), 'utf8')).toBe('shared line from A and C\n');
    // Three agent turns, a resolve and four merges: more than the default minute when the machine is busy.
  }, 240_000);
});

describe('rebase', () => {
  it('replays the task onto a base that moved on: linear history, the task commit on top, branch deleted', async () => {
    const repo = await repoWith({ 'README.md': '# demo\n' });
    const task = await newTask(repo, 'Add a notes file');
    fs.writeFileSync(path.join(repo, 'user.txt'), 'the user kept working\n');
    git(repo, 'add', 'user.txt');
    git(repo, 'commit', '-q', '-m', 'User work on main');
    const userTip = git(repo, 'rev-parse', 'main');

    const merged = await flotilla.cliJson<{ ok: boolean; commit: string }>(['task', 'merge', task.id, '--strategy', 'rebase']);
    expect(merged.ok).toBe(true);
    expect(git(repo, 'rev-parse', 'main')).toBe(merged.commit);
    expect(git(repo, 'rev-list', '--merges', 'main')).toBe('');
    expect(git(repo, 'rev-parse', `${merged.commit}^`)).toBe(userTip);
    expect(git(repo, 'log', '-1', '--format=%an', 'main')).toBe('Flotilla');
    expect(fs.readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toBe('notes\n');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'branch', '--list', task.branch)).toBe('');
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status).toBe('merged');

    // Restore is for discarded tasks: a merged one is refused in one line, and stays as it is.
    const restore = await flotilla.cli(['task', 'restore', task.id]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toBe(`flotilla: task ${task.id} is merged; only a discarded task can be restored (it was merged; its work is on main)\n`);
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).status).toBe('merged');
    expect(git(repo, 'branch', '--list', task.branch)).toBe('');
    expect(fs.existsSync(task.worktreePath)).toBe(false);
    expect(git(repo, 'rev-parse', 'main')).toBe(merged.commit);
  });
});

describe('bad input: one line, exit 1, nothing changed', () => {
  it('an unknown turn in task diff', async () => {
    const repo = await repoWith({ 'README.md': '# demo\n' });
    const task = await newTask(repo, 'Add a notes file');
    const unknown = await flotilla.cli(['task', 'diff', task.id, '--turn', '7']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`flotilla: task ${task.id} has no checkpoint for turn 7\n`);
    expect(unknown.stdout).toBe('');
    const known = await flotilla.cli(['task', 'diff', task.id, '--turn', '1']);
    expect(known.code).toBe(0);
    expect(known.stdout).toContain('+notes');
  });

  it('merging a task whose agent is still running, then one already merged', async () => {
    const repo = await repoWith({ 'README.md': '# demo\n' });
    const running = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo, '--prompt', 'A slow job']);
    const deadline = Date.now() + 60_000;
    while ((await flotilla.cliJson<TaskJson>(['task', 'show', running.id])).status !== 'running') {
      if (Date.now() > deadline) throw new Error('the slow task never started running');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const mainBefore = git(repo, 'rev-parse', 'main');
    const checkoutBefore = snapshot(repo);
    const refused = await flotilla.cli(['task', 'merge', running.id, '--strategy', 'squash']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^flotilla: task \S+ is running and cannot be merged; stop it or wait until it is in Review\n$/);
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(snapshot(repo)).toEqual(checkoutBefore);
    expect(fs.existsSync(running.worktreePath)).toBe(true);
    expect(git(repo, 'branch', '--list', running.branch)).not.toBe('');
    expect((await flotilla.cli(['task', 'stop', running.id])).code).toBe(0);

    const done = await newTask(repo, 'Add a notes file');
    expect((await flotilla.cliJson<{ ok: boolean }>(['task', 'merge', done.id, '--strategy', 'squash'])).ok).toBe(true);
    const mergedMain = git(repo, 'rev-parse', 'main');
    const again = await flotilla.cli(['task', 'merge', done.id, '--strategy', 'squash']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^flotilla: task \S+ is already merged \([0-9a-f]{10} on main\)\n$/);
    expect(git(repo, 'rev-parse', 'main')).toBe(mergedMain);
  });
});

describe('merging exactly what was reviewed', () => {
  it('refuses uncommitted work, then squashes it in when included, leaving the user’s dirty checkout byte for byte', async () => {
    const repo = await repoWith({ 'README.md': '# demo\n', 'src/app.txt': 'app v1\n' });
    const task = await newTask(repo, 'Add a notes file');
    fs.writeFileSync(path.join(task.worktreePath, 'late.txt'), 'written after the review\n');

    // Changes shows the uncommitted work's contents too, marked as such, after the branch's diff.
    fs.writeFileSync(path.join(task.worktreePath, 'src/app.txt'), 'app v1, edited in the task shell\n');
    const diff = await flotilla.cli(['task', 'diff', task.id]);
    expect(diff.stdout).toContain('+notes');
    expect(diff.stdout.indexOf('+written after the review')).toBeGreaterThan(diff.stdout.indexOf('+notes'));
    expect(diff.stdout).toContain('+app v1, edited in the task shell');
    expect(diff.stderr).toMatch(/uncommitted \(their changes follow the branch diff; .*\): src\/app\.txt, late\.txt/);
    const diffJson = await flotilla.cliJson<{ files: { path: string }[]; uncommitted: string[]; uncommittedFiles: { path: string; uncommitted: boolean; patch: string }[] }>([
      'task', 'diff', task.id,
    ]);
    expect(diffJson.files.map((f) => f.path)).toEqual(['notes.txt']);
    expect(diffJson.uncommitted).toEqual(['src/app.txt', 'late.txt']);
    expect(diffJson.uncommittedFiles.map((f) => [f.path, f.uncommitted])).toEqual([['late.txt', true], ['src/app.txt', true]]);
    expect(diffJson.uncommittedFiles[1]?.patch).toContain('-app v1\n+app v1, edited in the task shell');
    const stat = await flotilla.cli(['task', 'diff', task.id, '--stat']);
    expect(stat.stdout).toMatch(/\+1 -0 +late\.txt {2}\(uncommitted\)/);
    expect(stat.stdout).toContain('2 files uncommitted, +2 -1');
    // A turn's diff has no uncommitted part.
    const turn = await flotilla.cliJson<{ uncommittedFiles: unknown[] }>(['task', 'diff', task.id, '--turn', '1']);
    expect(turn.uncommittedFiles).toEqual([]);
    git(task.worktreePath, 'checkout', '--', 'src/app.txt');

    // The user's checkout: main checked out, a tracked file edited and an untracked one.
    fs.writeFileSync(path.join(repo, 'src/app.txt'), 'app v2, not committed\n');
    fs.writeFileSync(path.join(repo, 'scratch é.txt'), 'mine\n');
    const mainBefore = git(repo, 'rev-parse', 'main');
    const checkoutBefore = snapshot(repo);

    const refused = await flotilla.cli(['task', 'merge', task.id, '--strategy', 'squash', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, kind: 'uncommitted', files: ['late.txt'] });
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(snapshot(repo)).toEqual(checkoutBefore);

    const merged = await flotilla.cliJson<{ ok: boolean; commit: string }>([
      'task', 'merge', task.id, '--strategy', 'squash', '--include-uncommitted', '--message', 'Notes, as I edited them\n\nBody.',
    ]);
    expect(merged.ok).toBe(true);
    expect(git(repo, 'log', '-1', '--format=%B', 'main')).toBe('Notes, as I edited them\n\nBody.');
    expect(git(repo, 'rev-list', '--parents', '-n', '1', 'main').split(' ')).toEqual([merged.commit, mainBefore]);
    const after = snapshot(repo);
    // Theirs unchanged byte for byte; the task's two files arrived.
    for (const [file, content] of checkoutBefore) expect(after.get(file), file).toEqual(content);
    expect(fs.readFileSync(path.join(repo, 'late.txt'), 'utf8')).toBe('written after the review\n');
    expect(fs.readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toBe('notes\n');
  });

  it('drafts the squash message from the title, the prompt and the turns', async () => {
    const repo = await repoWith({ 'README.md': '# demo\n' });
    const task = await newTask(repo, 'Add a notes file for the team');
    const merged = await flotilla.cliJson<{ ok: boolean }>(['task', 'merge', task.id, '--strategy', 'squash']);
    expect(merged.ok).toBe(true);
    const message = git(repo, 'log', '-1', '--format=%B', 'main');
    expect(message).toContain('Add a notes file for the team');
    expect(message).toContain('Turn 1: Added notes.txt.');
  });
});

describe('nothing is ever lost: discard, then restore', () => {
  it('brings the worktree back with its uncommitted and untracked files byte for byte', async () => {
    const repo = await repoWith({ 'README.md': '# demo\n', 'tool.sh': '#!/bin/sh\necho v1\n', 'gone.txt': 'to be deleted\n', '.gitignore': '.env\n' });
    // A file copied into each worktree from the user's checkout: never archived, copied again on restore.
    fs.writeFileSync(path.join(repo, '.env'), 'TOKEN=local\n');
    const repoId = (await flotilla.cliJson<{ id: string; path: string }[]>(['repo', 'list'])).find((r) => r.path === fs.realpathSync(repo))?.id ?? '';
    expect((await flotilla.cli(['repo', 'config', repoId, '--copy', '.env'])).code).toBe(0);
    const task = await newTask(repo, 'Add a notes file');
    expect(fs.readFileSync(path.join(task.worktreePath, '.env'), 'utf8')).toBe('TOKEN=local\n');
    const wt = task.worktreePath;
    fs.writeFileSync(path.join(wt, 'README.md'), '# demo, edited by hand\n');
    fs.chmodSync(path.join(wt, 'tool.sh'), 0o755);
    fs.rmSync(path.join(wt, 'gone.txt'));
    fs.mkdirSync(path.join(wt, 'drafts ü'), { recursive: true });
    fs.writeFileSync(path.join(wt, 'drafts ü', 'idea.bin'), Buffer.from([0, 1, 2, 255, 10, 13]));
    const tip = git(repo, 'rev-parse', task.branch);
    const before = snapshot(wt);
    const statusBefore = git(wt, 'status', '--porcelain');

    const discarded = await flotilla.cliJson<TaskJson>(['task', 'discard', task.id]);
    expect(discarded.status).toBe('discarded');
    expect(discarded.archivedAt).toEqual(expect.any(Number));
    expect(fs.existsSync(wt)).toBe(false);
    expect(git(repo, 'branch', '--list', task.branch)).toBe('');
    expect(git(repo, 'rev-parse', `refs/flotilla/archive/${task.id}^`)).toBe(tip);
    expect(git(repo, 'ls-tree', '-r', '--name-only', `refs/flotilla/archive/${task.id}`)).not.toContain('.env');

    const restored = await flotilla.cliJson<TaskJson>(['task', 'restore', task.id]);
    expect(restored.status).toBe('review');
    expect(git(repo, 'rev-parse', task.branch)).toBe(tip);
    expect(snapshot(wt)).toEqual(before);
    expect(git(wt, 'status', '--porcelain')).toBe(statusBefore);

    const again = await flotilla.cli(['task', 'restore', task.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^flotilla: .*only a discarded task can be restored/);
  });
});

describe('pull requests', () => {
  it('say what is missing (no remote, no gh, not signed in) and change nothing, then push and open one', async () => {
    const repo = await repoWith({ 'README.md': '# demo\n' });
    const task = await newTask(repo, 'Add a notes file');

    const noRemote = await flotilla.cli(['task', 'pr', task.id]);
    expect(noRemote.code).toBe(1);
    expect(noRemote.stderr).toMatch(/^flotilla: .*no remote/);
    expect(noRemote.stderr.trim().split('\n')).toHaveLength(1);

    const bare = path.join(path.dirname(repo), 'remote é.git');
    execFileSync('git', ['init', '-q', '--bare', bare]);
    git(repo, 'remote', 'add', 'origin', bare);

    fs.chmodSync(stubGh, 0o644);
    const noGh = await flotilla.cli(['task', 'pr', task.id]);
    fs.chmodSync(stubGh, 0o755);
    expect(noGh.code).toBe(1);
    expect(noGh.stderr).toMatch(/^flotilla: .*gh\) is not on PATH/);

    fs.writeFileSync(path.join(stubDir, 'signed-out'), '');
    const signedOut = await flotilla.cli(['task', 'pr', task.id, '--json']);
    fs.rmSync(path.join(stubDir, 'signed-out'));
    expect(signedOut.code, signedOut.stderr).toBe(1);
    expect(JSON.parse(signedOut.stdout || 'null'), signedOut.stderr).toMatchObject({ ok: false, kind: 'unavailable' });
    expect(signedOut.stderr).toMatch(/not signed in/);
    expect(execFileSync('git', ['-C', bare, 'for-each-ref'], { encoding: 'utf8' })).toBe('');

    // An open UI hears of the link at once: tasks.onDidChange over the contract's event stream.
    const lookup = findRunningServer(flotilla.home);
    if (!lookup.ok) throw new Error(lookup.message);
    const events = await new HostClient(lookup.info).openEvents();
    if (!events.ok) throw new Error(events.message);
    const announced = new Promise<HostEvent>((resolve) => {
      events.value.on((event) => {
        if (event.event === 'tasks.onDidChange' && event.payload.task.id === task.id && event.payload.task.prUrl) resolve(event);
      });
    });
    const opened = await flotilla.cliJson<{ ok: boolean; url: string }>(['task', 'pr', task.id]);
    expect(opened).toEqual({ ok: true, url: 'https://github.com/acme/demo/pull/7' });
    expect((await announced).payload).toMatchObject({ task: { id: task.id, prUrl: 'https://github.com/acme/demo/pull/7', status: 'review' } });
    events.value.close();
    expect(execFileSync('git', ['-C', bare, 'rev-parse', task.branch], { encoding: 'utf8' }).trim()).toBe(git(repo, 'rev-parse', task.branch));
    const args = fs.readFileSync(path.join(stubDir, 'args'), 'utf8').split('\n');
    expect(args).toEqual(expect.arrayContaining(['--head', task.branch, '--base', 'main', '--title']));
    expect(fs.readFileSync(path.join(stubDir, 'body'), 'utf8')).toContain('Add a notes file');
    expect((await flotilla.cliJson<TaskJson>(['task', 'show', task.id])).prUrl).toBe('https://github.com/acme/demo/pull/7');
  });
});
