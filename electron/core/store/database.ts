import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { betterSqlite3Binding } from '../util/nativeModules.js';
import { m001Initial } from './migrations/m001_initial.js';
import { m002Usage } from './migrations/m002_usage.js';
import { m003RepoSettings } from './migrations/m003_repoSettings.js';
import { m004Policy } from './migrations/m004_policy.js';
import { m005RepoSandbox } from './migrations/m005_repoSandbox.js';
import { m006TaskArchive } from './migrations/m006_taskArchive.js';
import { m007ProtectedPaths } from './migrations/m007_protectedPaths.js';
import { m008Replays } from './migrations/m008_replays.js';
import { m009TaskProvider } from './migrations/m009_taskProvider.js';
import { m010TaskPlan } from './migrations/m010_taskPlan.js';

export type Db = Database.Database;

/** Numbered migrations, applied in order; `user_version` records how many have run. */
const MIGRATIONS: readonly string[] = [m001Initial, m002Usage, m003RepoSettings, m004Policy, m005RepoSandbox, m006TaskArchive, m007ProtectedPaths, m008Replays, m009TaskProvider, m010TaskPlan];

export function openDatabase(home: string): Db {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  // Under Electron, its own build of the addon (node_modules holds Node's); see nativeModules.ts.
  const db = new Database(path.join(home, 'flotilla.db'), { nativeBinding: betterSqlite3Binding() });
  // WAL: readers never block the one writer; NORMAL sync is durable across app crashes
  // (only an OS crash can lose the last transactions).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // 5 s: a second host started by mistake waits briefly instead of failing at once.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    throw new Error(`flotilla.db is from a newer Flotilla (schema ${applied}); this one knows ${MIGRATIONS.length}`);
  }
  for (let i = applied; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i] as string);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
