import crypto from 'node:crypto';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import type { Repo, RepoSettings } from '../../../shared/model/task.js';
import { invalidGlobReason } from '../../../shared/model/protectedPaths.js';
import { inspectRepo, listBranches } from '../git/repoInspect.js';
import { DEFAULT_REPO_SETTINGS, type RepoStore } from '../store/repoStore.js';
import type { HostEventBus } from '../hostEvents.js';
import { checkHomeReadOnlyPaths, checkUnixSockets } from './repoSandboxPaths.js';

/** Repos the user added. Removing one forgets it; the repo on disk is never touched. */
export class RepoService {
  constructor(
    private readonly deps: {
      repos: RepoStore;
      events: HostEventBus;
      clock: () => number;
      /** FLOTILLA_HOME: never allowed into a repo's home paths. */
      home: string;
      /** The host's environment: where `~` in a repo's sandbox paths points. */
      env: NodeJS.ProcessEnv;
    },
  ) {}

  list(): Repo[] {
    return this.deps.repos.list();
  }

  get(id: string): Repo | undefined {
    return this.deps.repos.get(id);
  }

  /** Adds the repo at `inputPath` (any folder inside it), or returns the one already added. */
  async add(inputPath: string): Promise<{ ok: true; repo: Repo } | Failure> {
    const inspection = await inspectRepo(path.resolve(inputPath));
    if (!inspection.ok) return inspection;
    const existing = this.deps.repos.findByPath(inspection.root);
    if (existing) return { ok: true, repo: existing };
    const repo: Repo = {
      id: crypto.randomBytes(4).toString('hex'),
      name: inspection.name,
      path: inspection.root,
      defaultBranch: inspection.currentBranch,
      addedAt: this.deps.clock(),
      settings: DEFAULT_REPO_SETTINGS,
    };
    this.deps.repos.insert(repo);
    this.emitChange();
    return { ok: true, repo };
  }

  /** Finds a repo by id, or by path (adding it on the fly, as `task new --repo PATH` expects). */
  async resolve(idOrPath: string): Promise<{ ok: true; repo: Repo } | Failure> {
    const byId = this.deps.repos.get(idOrPath);
    if (byId) return { ok: true, repo: byId };
    if (!idOrPath.includes('/') && !idOrPath.includes('\\') && !idOrPath.startsWith('.')) {
      return failure('not_found', `no repo with id "${idOrPath}" (use \`flotilla repo list\`, or pass a path)`);
    }
    return this.add(idOrPath);
  }

  rename(id: string, name: string): { ok: true; repo: Repo } | Failure {
    if (!this.deps.repos.get(id)) return failure('not_found', `no repo with id "${id}"`);
    this.deps.repos.rename(id, name);
    this.emitChange();
    return { ok: true, repo: this.deps.repos.get(id) as Repo };
  }

  configure(id: string, changes: Partial<RepoSettings>): { ok: true; repo: Repo } | Failure {
    const repo = this.deps.repos.get(id);
    if (!repo) return failure('not_found', `no repo with id "${id}"`);
    const bad = (changes.copyFiles ?? []).find((file) => !isSafeRelativePath(file));
    if (bad !== undefined) {
      return failure('invalid_input', `copy files must be paths inside the repo, like ".env" or "config/local.json"; not "${bad}"`);
    }
    const pathContext = { hostEnv: this.deps.env, flotillaHome: this.deps.home };
    const sockets = changes.unixSockets === undefined ? null : checkUnixSockets(changes.unixSockets, pathContext);
    const homePaths = changes.homeReadOnlyPaths === undefined ? null : checkHomeReadOnlyPaths(changes.homeReadOnlyPaths, pathContext);
    // Both lists are checked before either answers, so one reply names every refused entry.
    const refusals = [sockets, homePaths].flatMap((check) => (check && !check.ok ? [check.message] : []));
    const badGlob = invalidGlobReason(changes.protectedPaths ?? []);
    if (badGlob) refusals.push(badGlob);
    if (refusals.length > 0) return failure('invalid_input', `Nothing was saved. ${refusals.join(' ')}`);
    const settings: RepoSettings = {
      ...repo.settings,
      ...definedOnly(changes),
      ...(sockets?.ok ? { unixSockets: sockets.paths } : {}),
      ...(homePaths?.ok ? { homeReadOnlyPaths: homePaths.paths } : {}),
    };
    this.deps.repos.configure(id, settings);
    this.emitChange();
    return { ok: true, repo: this.deps.repos.get(id) as Repo };
  }

  remove(id: string): { ok: true } | Failure {
    if (!this.deps.repos.get(id)) return failure('not_found', `no repo with id "${id}"`);
    if (this.deps.repos.hasTasks(id)) {
      return failure('invalid_state', 'this repo still has tasks on the board; discard or merge them first');
    }
    this.deps.repos.remove(id);
    this.emitChange();
    return { ok: true };
  }

  async branches(id: string): Promise<{ ok: true; branches: string[]; current: string } | Failure> {
    const repo = this.deps.repos.get(id);
    if (!repo) return failure('not_found', `no repo with id "${id}"`);
    const inspection = await inspectRepo(repo.path);
    if (!inspection.ok) return inspection;
    return { ok: true, ...(await listBranches(repo.path)) };
  }

  private emitChange(): void {
    this.deps.events.emit('repos.onDidChange', { repos: this.list() });
  }
}

/** A relative path that stays inside the folder it is resolved against (no `..`, not absolute). */
export function isSafeRelativePath(file: string): boolean {
  if (file === '' || path.isAbsolute(file) || file.includes('\0')) return false;
  const normal = path.normalize(file);
  return normal !== '..' && !normal.startsWith(`..${path.sep}`) && normal !== '.';
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
