import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RepoSettings, Task } from '../../../shared/model/task.js';
import type { TaskEventBody } from '../../../shared/model/taskEvents.js';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import { makeRepo, removeTempDirs, tempDir } from '../git/testRepos.js';
import { SandboxUnavailableError } from '../sandbox/runSandboxed.js';
import { DEFAULT_REPO_SETTINGS } from '../store/repoStore.js';
import { scriptSandbox, taskSandboxSpec } from './taskSandbox.js';
import { cleanupWorktree } from './worktreeSetup.js';

afterAll(removeTempDirs);

const repo: RepoSettings = {
  ...DEFAULT_REPO_SETTINGS,
  unixSockets: ['/var/run/docker.sock'],
  homeReadOnlyPaths: ['/home/me/.gitconfig'],
};

function task(policy: Partial<Task['policy']> = {}): Task {
  // A checkout stands in for the worktree: the spec reads its git paths.
  const record = taskRecord({ id: 't1', worktreePath: makeRepo() });
  return { ...record, policy: { ...record.policy, ...policy } };
}

describe('taskSandboxSpec', () => {
  it('adds what the repo allowlists (host sockets, home paths) to the task’s own policy', async () => {
    const home = tempDir('flotilla');
    const spec = await taskSandboxSpec(task({ mode: 'read-only', allowNetwork: true }), home, repo);
    expect(spec).toMatchObject({
      mode: 'read-only',
      allowNetwork: true,
      homeDir: path.join(home, 'task-homes', 't1'),
      unixSockets: ['/var/run/docker.sock'],
      homeReadOnlyPaths: ['/home/me/.gitconfig'],
    });
    // A repo removed from Flotilla allowlists nothing.
    expect(await taskSandboxSpec(task(), home, undefined)).toMatchObject({ unixSockets: [], homeReadOnlyPaths: [] });
  });
});

describe('scriptSandbox', () => {
  it('writes the worktree in every sandboxed mode; full access stays without a sandbox', async () => {
    const home = tempDir('flotilla');
    expect((await scriptSandbox(task({ mode: 'read-only' }), repo, home, {})).spec.mode).toBe('workspace-write');
    expect((await scriptSandbox(task({ mode: 'workspace-write' }), repo, home, {})).spec.mode).toBe('workspace-write');
    expect((await scriptSandbox(task({ mode: 'full-access' }), repo, home, {})).spec.mode).toBe('full-access');
  });

  it('has network when the repo allows it for scripts or the task has it, and only then', async () => {
    const home = tempDir('flotilla');
    const network = async (scriptNetwork: boolean, allowNetwork: boolean) =>
      (await scriptSandbox(task({ allowNetwork }), { ...repo, scriptNetwork }, home, {})).spec.allowNetwork;
    expect(await network(false, false)).toBe(false);
    expect(await network(true, false)).toBe(true);
    expect(await network(false, true)).toBe(true);
  });

  it('keeps the repo’s allowlists, hides FLOTILLA_HOME and the agent sockets, and takes FLOTILLA_BWRAP', async () => {
    const home = tempDir('flotilla');
    const sandbox = await scriptSandbox(task(), repo, home, { SSH_AUTH_SOCK: '/run/agent.sock', FLOTILLA_BWRAP: '/opt/bwrap' });
    expect(sandbox.spec).toMatchObject({ unixSockets: repo.unixSockets, homeReadOnlyPaths: repo.homeReadOnlyPaths });
    expect(sandbox.hiddenPaths).toEqual([home, '/run/agent.sock']);
    expect(sandbox.bwrapPath).toBe('/opt/bwrap');
  });
});

describe('cleanupWorktree', () => {
  it('runs nothing when the sandbox cannot start, and notes it: the removal goes on', async () => {
    const records: TaskEventBody[] = [];
    await cleanupWorktree({
      worktreePath: tempDir('worktree'),
      settings: { ...DEFAULT_REPO_SETTINGS, cleanupScript: 'make clean' },
      sandbox: () => Promise.reject(new SandboxUnavailableError('sandbox unavailable: bwrap is missing')),
      record: (body) => records.push(body),
    });
    expect(records.map((r) => r.kind)).toEqual(['command_started', 'command_output', 'command_finished', 'note']);
    expect(records[2]).toMatchObject({ callId: 'cleanup', exitCode: null, isKilled: false });
    expect(records[3]).toEqual({ kind: 'note', text: 'The cleanup script did not run: sandbox unavailable: bwrap is missing. The worktree was removed anyway.' });
  });
});
