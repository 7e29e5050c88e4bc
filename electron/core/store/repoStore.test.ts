import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../git/testRepos.js';
import { openDatabase } from './database.js';
import { m001Initial } from './migrations/m001_initial.js';
import { m002Usage } from './migrations/m002_usage.js';
import { m003RepoSettings } from './migrations/m003_repoSettings.js';
import { m004Policy } from './migrations/m004_policy.js';
import { DEFAULT_REPO_SETTINGS, RepoStore } from './repoStore.js';

afterAll(removeTempDirs);

/** A flotilla.db as the version before the repo sandbox settings left it, with these repos. */
function databaseAtSchema4(home: string, repos: Array<{ id: string; setupScript: string }>): void {
  const db = new Database(path.join(home, 'flotilla.db'));
  for (const migration of [m001Initial, m002Usage, m003RepoSettings, m004Policy]) db.exec(migration);
  db.pragma('user_version = 4');
  for (const repo of repos) {
    db.prepare("INSERT INTO repos (id, name, path, default_branch, added_at, setup_script) VALUES (?, ?, ?, 'main', 1, ?)").run(
      repo.id,
      repo.id,
      `/repos/${repo.id}`,
      repo.setupScript,
    );
  }
  db.close();
}

describe('migration 5: repo sandbox settings', () => {
  it('gives network to the scripts of repos that already had a setup script, and to no other', () => {
    const home = tempDir('migration');
    databaseAtSchema4(home, [
      { id: 'npm', setupScript: 'npm ci' },
      { id: 'none', setupScript: '' },
      { id: 'blank', setupScript: ' \n\t' },
    ]);
    const db = openDatabase(home);
    const repos = new RepoStore(db);
    expect(repos.get('npm')?.settings).toMatchObject({ setupScript: 'npm ci', scriptNetwork: true, unixSockets: [], homeReadOnlyPaths: [] });
    expect(repos.get('none')?.settings.scriptNetwork).toBe(false);
    expect(repos.get('blank')?.settings.scriptNetwork).toBe(false);
    // Migration 5 ran, and every later one after it.
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(5);
    db.close();
  });
});

describe('RepoStore', () => {
  it('stores the sandbox settings and reads them back; a new repo starts without script network', () => {
    const db = openDatabase(tempDir('store'));
    const repos = new RepoStore(db);
    repos.insert({ id: 'r1', name: 'r1', path: '/repos/r1', defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
    expect(repos.get('r1')?.settings).toEqual(DEFAULT_REPO_SETTINGS);
    expect(DEFAULT_REPO_SETTINGS.scriptNetwork).toBe(false);
    const settings = {
      ...DEFAULT_REPO_SETTINGS,
      setupScript: 'npm ci',
      scriptNetwork: true,
      unixSockets: ['/var/run/docker.sock'],
      homeReadOnlyPaths: ['/home/me/.gitconfig', '/home/me/.cargo/registry'],
    };
    repos.configure('r1', settings);
    expect(repos.get('r1')?.settings).toEqual(settings);
    db.close();
  });
});

describe('migration 7: protected paths', () => {
  it('starts every repo with none, and stores the globs given', () => {
    const db = openDatabase(tempDir('protected'));
    const repos = new RepoStore(db);
    repos.insert({ id: 'r1', name: 'r1', path: '/repos/r1', defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
    expect(repos.get('r1')?.settings.protectedPaths).toEqual([]);
    repos.configure('r1', { ...DEFAULT_REPO_SETTINGS, protectedPaths: ['.github/workflows/**', '*.lock'] });
    expect(repos.get('r1')?.settings.protectedPaths).toEqual(['.github/workflows/**', '*.lock']);
    db.close();
  });
});
