import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/model/settings.js';
import type { RepoSettings } from '../../../../shared/model/task.js';
import {
  draftOf,
  formatMinutes,
  globList,
  minutesToMs,
  pathLines,
  planProtectedPathsSave,
  planRepoSandboxSave,
  planSave,
  refusedLists,
  repoSandboxDraftOf,
} from './settingsForm.js';

describe('settings form', () => {
  it('shows the command timeout in minutes', () => {
    expect(draftOf(DEFAULT_SETTINGS).commandTimeoutMinutes).toBe('10');
    expect(formatMinutes(90_000)).toBe('1.5');
    expect(formatMinutes(1_000)).toBe('0.017');
    expect(minutesToMs('1.5')).toBe('90000');
    expect(minutesToMs(' 20 ')).toBe('1200000');
    expect(minutesToMs('.5')).toBe('30000');
    for (const bad of ['', 'ten', '-1', '1e3', '1,5', '0x10']) expect(minutesToMs(bad)).toBeNull();
  });

  it('plans one settings.set per changed field, converting minutes to ms', () => {
    const draft = { ...draftOf(DEFAULT_SETTINGS), maxRunning: '6', commandTimeoutMinutes: '20' };
    expect(planSave(draft, DEFAULT_SETTINGS)).toEqual({
      ok: true,
      changes: [
        { field: 'maxRunning', key: 'maxRunning', value: '6' },
        { field: 'commandTimeoutMinutes', key: 'commandTimeoutMs', value: '1200000' },
      ],
    });
    expect(planSave(draftOf(DEFAULT_SETTINGS), DEFAULT_SETTINGS)).toEqual({ ok: true, changes: [] });
  });

  it('passes other text to the host as typed (it validates), but catches minutes it cannot read', () => {
    expect(planSave({ ...draftOf(DEFAULT_SETTINGS), maxRunning: 'lots' }, DEFAULT_SETTINGS)).toMatchObject({
      ok: true,
      changes: [{ key: 'maxRunning', value: 'lots' }],
    });
    expect(planSave({ ...draftOf(DEFAULT_SETTINGS), commandTimeoutMinutes: 'soon' }, DEFAULT_SETTINGS)).toEqual({
      ok: false,
      errors: { commandTimeoutMinutes: 'Enter a number of minutes, like 10 or 1.5.' },
    });
  });
});

const REPO: RepoSettings = {
  setupScript: 'npm ci',
  cleanupScript: '',
  copyFiles: [],
  baseBranch: null,
  scriptNetwork: false,
  unixSockets: ['/var/run/docker.sock'],
  homeReadOnlyPaths: ['/home/me/.gitconfig', '/home/me/.cargo/registry'],
};

describe('repo sandbox form', () => {
  it('shows each list one path per line', () => {
    expect(repoSandboxDraftOf(REPO)).toEqual({
      scriptNetwork: false,
      homePaths: '/home/me/.gitconfig\n/home/me/.cargo/registry',
      unixSockets: '/var/run/docker.sock',
    });
  });

  it('reads one path per line, trimmed, without blank lines', () => {
    expect(pathLines('  ~/.gitconfig \r\n\n\t\n/home/me/x\n')).toEqual(['~/.gitconfig', '/home/me/x']);
    expect(pathLines('')).toEqual([]);
  });

  it('sends only what changed; an emptied list clears it', () => {
    expect(planRepoSandboxSave(repoSandboxDraftOf(REPO), REPO)).toEqual({});
    expect(planRepoSandboxSave({ ...repoSandboxDraftOf(REPO), homePaths: '/home/me/.gitconfig\n\n/home/me/.cargo/registry\n' }, REPO)).toEqual({});
    expect(planRepoSandboxSave({ scriptNetwork: true, homePaths: '~/.gitconfig', unixSockets: '  ' }, REPO)).toEqual({
      scriptNetwork: true,
      homeReadOnlyPaths: ['~/.gitconfig'],
      unixSockets: [],
    });
  });

  it('tells which list a refusal names', () => {
    expect(refusedLists('Nothing was saved. Home paths refused: "x" is relative.')).toEqual({ homePaths: true, unixSockets: false });
    expect(refusedLists('Nothing was saved. Host sockets refused: "y" is relative. Home paths refused: "x"')).toEqual({ homePaths: true, unixSockets: true });
  });
});

describe('archive retention and protected paths', () => {
  it('edits the archive retention in days, passed to the host as typed (it checks the range)', () => {
    expect(draftOf(DEFAULT_SETTINGS).archiveRetentionDays).toBe('30');
    expect(planSave({ ...draftOf(DEFAULT_SETTINGS), archiveRetentionDays: ' 7 ' }, DEFAULT_SETTINGS)).toEqual({
      ok: true,
      changes: [{ field: 'archiveRetentionDays', key: 'archiveRetentionDays', value: '7' }],
    });
  });

  it('reads globs separated by commas or newlines, and sends them only when the list changed', () => {
    expect(globList(' .github/workflows/**, infra/\n\n*.lock ,')).toEqual(['.github/workflows/**', 'infra/', '*.lock']);
    const saved: RepoSettings = { ...REPO, protectedPaths: ['infra/'] };
    expect(planProtectedPathsSave('infra/\n', saved)).toBeNull();
    expect(planProtectedPathsSave('infra/, *.lock', saved)).toEqual(['infra/', '*.lock']);
    expect(planProtectedPathsSave('  ', saved)).toEqual([]);
    expect(planProtectedPathsSave('', { ...saved, protectedPaths: undefined })).toBeNull();
  });
});

describe('history retention and secret environment variables', () => {
  it('edits the two retention limits and the secret names, passed to the host as typed (it checks them)', () => {
    const draft = draftOf({ ...DEFAULT_SETTINGS, secretEnvVars: ['DEPLOY_PHRASE', 'DATABASE_URL'] });
    expect([draft.historyRetentionDays, draft.historyRetentionMB, draft.secretEnvVars]).toEqual(['30', '2048', 'DEPLOY_PHRASE, DATABASE_URL']);
    expect(planSave({ ...draftOf(DEFAULT_SETTINGS), historyRetentionDays: '7', historyRetentionMB: '512', secretEnvVars: 'A, B' }, DEFAULT_SETTINGS)).toEqual({
      ok: true,
      changes: [
        { field: 'historyRetentionDays', key: 'historyRetentionDays', value: '7' },
        { field: 'historyRetentionMB', key: 'historyRetentionMB', value: '512' },
        { field: 'secretEnvVars', key: 'secretEnvVars', value: 'A, B' },
      ],
    });
  });
});
