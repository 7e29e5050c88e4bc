import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * A git repo with many small files for the worktree benchmark, made once and cached under
 * os.tmpdir(): generating and committing 50,000 files takes ~20 s, reusing them none.
 * Bump CACHE_VERSION when the layout changes. The `.complete` marker is written last, so a
 * run killed half-way leaves a cache that is rebuilt, not trusted.
 */
const CACHE_VERSION = 'v1';
/** Files per leaf folder: 50 × 20 folders × 50 files = 50,000 with the default count. */
const FILES_PER_DIR = 50;
const DIRS_PER_TOP = 20;

export interface BigRepo {
  path: string;
  fileCount: number;
  /** True when this call generated it (false: reused from the cache). */
  isFresh: boolean;
}

/** Identity from -c flags and no GIT_* from the caller: the machine's git config is not needed. */
export function git(cwd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('GIT_')) delete env[name];
  return execFileAsync(
    'git',
    ['-c', 'user.name=Flotilla Bench', '-c', 'user.email=bench@flotilla.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd, env, maxBuffer: 256 * 1024 * 1024 },
  );
}

export async function ensureBigRepo(fileCount: number): Promise<BigRepo> {
  const root = path.join(os.tmpdir(), `flotilla-bench-repo-${fileCount}-${CACHE_VERSION}`);
  const repoPath = path.join(root, 'big repo');
  const marker = path.join(root, '.complete');
  if (fs.existsSync(marker)) {
    await resetBigRepo(repoPath);
    return { path: repoPath, fileCount, isFresh: false };
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(repoPath, { recursive: true });
  const perTop = FILES_PER_DIR * DIRS_PER_TOP;
  for (let i = 0; i < fileCount; i++) {
    const top = Math.floor(i / perTop);
    const sub = Math.floor((i % perTop) / FILES_PER_DIR);
    const dir = path.join(repoPath, 'src', `pkg${top}`, `mod${sub}`);
    if (i % FILES_PER_DIR === 0) fs.mkdirSync(dir, { recursive: true });
    // ~60 bytes each: small source files, like most of a big monorepo.
    fs.writeFileSync(path.join(dir, `file${i % FILES_PER_DIR}.ts`), `export const value${i} = ${i}; // generated for the benchmark\n`);
  }
  fs.writeFileSync(path.join(repoPath, 'README.md'), `# ${fileCount} files\n`);
  await git(repoPath, ['init', '--quiet', '--initial-branch=main']);
  await git(repoPath, ['add', '--all']);
  await git(repoPath, ['commit', '--quiet', '--no-verify', '-m', `${fileCount} small files`]);
  fs.writeFileSync(marker, new Date().toISOString());
  return { path: repoPath, fileCount, isFresh: true };
}

/**
 * Back to one commit on main and no other worktree or branch: what earlier runs (maybe
 * interrupted) added is removed. Folders of linked worktrees live in temp dirs that those
 * runs deleted; prune forgets them, and any still there are removed by git.
 */
export async function resetBigRepo(repoPath: string): Promise<void> {
  const { stdout } = await git(repoPath, ['worktree', 'list', '--porcelain']);
  const linked = stdout
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length))
    .filter((p) => path.resolve(p) !== fs.realpathSync(repoPath));
  for (const worktree of linked) {
    if (fs.existsSync(worktree)) await git(repoPath, ['worktree', 'remove', '--force', '--force', worktree]);
  }
  await git(repoPath, ['worktree', 'prune']);
  const branches = (await git(repoPath, ['for-each-ref', '--format=%(refname)', 'refs/heads/'])).stdout.split('\n').filter(Boolean);
  for (const ref of branches) if (ref !== 'refs/heads/main') await git(repoPath, ['update-ref', '-d', ref]);
}
