import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repo } from '../../../shared/model/task.js';
import { removeTempDirs, tempDir } from '../git/testRepos.js';
import { HostEventBus } from '../hostEvents.js';
import { openDatabase, type Db } from '../store/database.js';
import { DEFAULT_REPO_SETTINGS, RepoStore } from '../store/repoStore.js';
import { RepoService } from './repoService.js';

let db: Db;
let userHome: string;
let service: RepoService;
let changes: Repo[][];

beforeEach(() => {
  const flotillaHome = tempDir('flotilla');
  userHome = tempDir('me');
  fs.mkdirSync(path.join(userHome, '.ssh'));
  db = openDatabase(flotillaHome);
  const repos = new RepoStore(db);
  repos.insert({ id: 'r1', name: 'shop', path: '/repos/shop', defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
  const events = new HostEventBus();
  changes = [];
  events.on((event, payload) => {
    if (event === 'repos.onDidChange') changes.push((payload as { repos: Repo[] }).repos);
  });
  service = new RepoService({ repos, events, clock: () => 1, home: flotillaHome, env: { HOME: userHome } });
});

afterEach(() => db.close());
afterAll(removeTempDirs);

describe('RepoService.configure: the repo sandbox settings', () => {
  it('stores script network, host sockets and home paths (~/ made absolute), keeping what was not given', () => {
    service.configure('r1', { setupScript: 'npm ci' });
    const result = service.configure('r1', {
      scriptNetwork: true,
      unixSockets: ['/var/run/docker.sock'],
      homeReadOnlyPaths: ['~/.gitconfig', '~/.cargo/registry'],
    });
    expect(result.ok).toBe(true);
    expect(service.get('r1')?.settings).toEqual({
      ...DEFAULT_REPO_SETTINGS,
      setupScript: 'npm ci',
      scriptNetwork: true,
      unixSockets: ['/var/run/docker.sock'],
      homeReadOnlyPaths: [path.join(userHome, '.gitconfig'), path.join(userHome, '.cargo', 'registry')],
    });
    expect(changes.at(-1)?.[0]?.settings.scriptNetwork).toBe(true);
    // An empty list clears; the other settings stay.
    service.configure('r1', { homeReadOnlyPaths: [] });
    expect(service.get('r1')?.settings).toMatchObject({ homeReadOnlyPaths: [], unixSockets: ['/var/run/docker.sock'], scriptNetwork: true });
  });

  it('refuses bad entries in both lists at once, names every one, and saves nothing', () => {
    service.configure('r1', { homeReadOnlyPaths: ['~/.gitconfig'] });
    const before = service.get('r1')?.settings;
    const eventsBefore = changes.length;
    const result = service.configure('r1', {
      scriptNetwork: true,
      unixSockets: ['docker.sock'],
      homeReadOnlyPaths: ['~/.ssh', '~/.cargo/registry', '.npmrc'],
    });
    expect(result).toEqual({
      ok: false,
      kind: 'invalid_input',
      message:
        'Nothing was saved. Host sockets refused: "docker.sock" is relative (write it from / or from ~/). ' +
        'Home paths refused: "~/.ssh" is inside ~/.ssh, which holds credentials and is never shown; ".npmrc" is relative (write it from / or from ~/).',
    });
    expect(service.get('r1')?.settings).toEqual(before);
    expect(changes.length).toBe(eventsBefore);
  });
});
