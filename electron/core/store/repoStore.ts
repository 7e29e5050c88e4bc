import type { Db } from './database.js';
import type { Repo, RepoSettings } from '../../../shared/model/task.js';

interface RepoRow {
  id: string;
  name: string;
  path: string;
  default_branch: string;
  added_at: number;
  setup_script: string;
  cleanup_script: string;
  copy_files: string;
  base_branch: string | null;
  script_network: number;
  unix_sockets: string;
  home_read_only_paths: string;
  protected_paths: string;
}

function toRepo(row: RepoRow): Repo {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    defaultBranch: row.default_branch,
    addedAt: row.added_at,
    settings: {
      setupScript: row.setup_script,
      cleanupScript: row.cleanup_script,
      copyFiles: JSON.parse(row.copy_files) as string[],
      baseBranch: row.base_branch,
      scriptNetwork: row.script_network === 1,
      unixSockets: JSON.parse(row.unix_sockets) as string[],
      homeReadOnlyPaths: JSON.parse(row.home_read_only_paths) as string[],
      protectedPaths: JSON.parse(row.protected_paths) as string[],
    },
  };
}

/** A new repo: no scripts, nothing copied, and its scripts without network. */
export const DEFAULT_REPO_SETTINGS: RepoSettings = {
  setupScript: '',
  cleanupScript: '',
  copyFiles: [],
  baseBranch: null,
  scriptNetwork: false,
  unixSockets: [],
  homeReadOnlyPaths: [],
  protectedPaths: [],
};

export class RepoStore {
  constructor(private readonly db: Db) {}

  insert(repo: Repo): void {
    this.db
      .prepare('INSERT INTO repos (id, name, path, default_branch, added_at) VALUES (?, ?, ?, ?, ?)')
      .run(repo.id, repo.name, repo.path, repo.defaultBranch, repo.addedAt);
    this.configure(repo.id, repo.settings);
  }

  get(id: string): Repo | undefined {
    const row = this.db.prepare('SELECT * FROM repos WHERE id = ?').get(id) as RepoRow | undefined;
    return row && toRepo(row);
  }

  findByPath(repoPath: string): Repo | undefined {
    const row = this.db.prepare('SELECT * FROM repos WHERE path = ?').get(repoPath) as RepoRow | undefined;
    return row && toRepo(row);
  }

  list(): Repo[] {
    return (this.db.prepare('SELECT * FROM repos ORDER BY added_at, name').all() as RepoRow[]).map(toRepo);
  }

  rename(id: string, name: string): void {
    this.db.prepare('UPDATE repos SET name = ? WHERE id = ?').run(name, id);
  }

  configure(id: string, settings: RepoSettings): void {
    this.db
      .prepare(
        `UPDATE repos SET setup_script = ?, cleanup_script = ?, copy_files = ?, base_branch = ?,
           script_network = ?, unix_sockets = ?, home_read_only_paths = ?, protected_paths = ? WHERE id = ?`,
      )
      .run(
        settings.setupScript,
        settings.cleanupScript,
        JSON.stringify(settings.copyFiles),
        settings.baseBranch,
        settings.scriptNetwork ? 1 : 0,
        JSON.stringify(settings.unixSockets),
        JSON.stringify(settings.homeReadOnlyPaths),
        JSON.stringify(settings.protectedPaths ?? []),
        id,
      );
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM repos WHERE id = ?').run(id);
  }

  hasTasks(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM tasks WHERE repo_id = ? LIMIT 1').get(id) !== undefined;
  }
}
