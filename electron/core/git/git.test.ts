import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { checkpointCommit } from './checkpoint.js';
import { hardenedEnv, noHooksDir } from './git.js';
import { GIT_TIMED_OUT, runGit, runGitOk } from './runGit.js';
import { makeRepo, removeTempDirs, revParse, tempDir, writeFiles } from './testRepos.js';

afterAll(removeTempDirs);

const INJECTED = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_EXTERNAL_DIFF', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'PAGER', 'EDITOR'];
afterEach(() => {
  for (const key of INJECTED) delete process.env[key];
});

describe('hardenedEnv', () => {
  it('drops inherited GIT_* and pager/editor variables and adds the safe ones', () => {
    const env = hardenedEnv({
      PATH: '/usr/bin',
      HOME: '/home/u',
      GIT_DIR: '/elsewhere',
      git_work_tree: '/lowercase',
      GIT_SSH_COMMAND: 'evil',
      PAGER: 'evil',
      EDITOR: 'evil',
      GIT_TERMINAL_PROMPT: '1',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/u', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' });
  });
});

describe('runGit', () => {
  it('runs every call with the hardening config', async () => {
    const repo = makeRepo();
    const get = async (key: string) => (await runGitOk(repo, ['config', '--get', key])).trim();
    expect(await get('core.hooksPath')).toBe(noHooksDir());
    expect(await get('core.fsmonitor')).toBe('false');
    expect(await get('core.pager')).toBe('cat');
    expect(await get('diff.ignoreSubmodules')).toBe('all');
    expect(await get('safe.bareRepository')).toBe('explicit');
    expect((await runGitOk(repo, ['rev-parse', 'HEAD'])).trim()).toBe(revParse(repo, 'HEAD'));
  });

  it('feeds stdin and reports the exit code', async () => {
    const repo = makeRepo();
    const hashed = await runGit(repo, ['hash-object', '--stdin'], { input: 'hello\n' });
    expect(hashed).toMatchObject({ exitCode: 0, stdout: 'ce013625030ba8dba906f756967f9e9ca394464a\n' });
    expect((await runGit(repo, ['rev-parse', '--verify', '--quiet', 'no-such-ref'])).exitCode).toBe(1);
  });

  it('stops a call that outlives its time limit, with everything it started', async () => {
    const repo = makeRepo();
    // An alias that runs a shell is the simplest git that never ends on its own.
    const run = await runGit(repo, ['-c', 'alias.hang=!sleep 30', 'hang'], { timeoutMs: 300 });
    expect(run.exitCode).toBe(GIT_TIMED_OUT);
    expect(run.stderr).toContain('did not finish within');
  });

  it('keeps the no-hooks folder empty and read-only', () => {
    const dir = noHooksDir();
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(fs.statSync(dir).mode & 0o222).toBe(0);
  });

  it('ignores GIT_DIR, GIT_INDEX_FILE and friends inherited by the host', async () => {
    const repo = makeRepo();
    const decoy = makeRepo();
    const bogusIndex = path.join(tempDir(), 'bogus-index');
    process.env.GIT_DIR = path.join(decoy, '.git');
    process.env.GIT_WORK_TREE = decoy;
    process.env.GIT_INDEX_FILE = bogusIndex;
    process.env.GIT_CONFIG_COUNT = '1';
    process.env.PAGER = 'false';
    process.env.EDITOR = 'false';
    const decoyHead = revParse(decoy, 'HEAD');

    writeFiles(repo, { 'x.txt': 'x\n' });
    const result = await checkpointCommit({ worktreePath: repo, message: 'env' });

    expect(result?.commit).toBe(revParse(repo, 'HEAD'));
    expect(revParse(decoy, 'HEAD')).toBe(decoyHead);
    expect(fs.existsSync(bogusIndex)).toBe(false);
    const run = await runGit(repo, ['rev-parse', '--show-toplevel']);
    expect(run.stdout.trim()).toBe(repo);
  });
});
