import type { Db } from './database.js';
import type { Repo } from '../../../shared/model/task.js';

interface RepoRow {
  id: string;
  name: string;
  path: string;
  default_branch: string;
  added_at: number;
}

function toRepo(row: RepoRow): Repo {
  return { id: row.id, name: row.name, path: row.path, defaultBranch: row.default_branch, addedAt: row.added_at };
}

export class RepoStore {
  constructor(private readonly db: Db) {}

  insert(repo: Repo): void {
    this.db
      .prepare('INSERT INTO repos (id, name, path, default_branch, added_at) VALUES (?, ?, ?, ?, ?)')
      .run(repo.id, repo.name, repo.path, repo.defaultBranch, repo.addedAt);
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

  remove(id: string): void {
    this.db.prepare('DELETE FROM repos WHERE id = ?').run(id);
  }

  hasTasks(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM tasks WHERE repo_id = ? LIMIT 1').get(id) !== undefined;
  }
}
