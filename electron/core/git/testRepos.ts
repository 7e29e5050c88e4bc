import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Fixtures for the git module's tests: real repositories in temp folders whose names have
 * spaces, quotes and non-ASCII letters, built with plain git (not the code under test).
 */

const made: string[] = [];

/** A new empty folder under os.tmpdir(), inside a parent named like "my répo ü 'x'". */
export function tempDir(name = `my répo ü 'q'`): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-git-test-'));
  made.push(parent);
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  return fs.realpathSync(dir);
}

/** Deletes every folder `tempDir` made (call from afterAll/afterEach). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The environment fixture git runs with: a fixed identity, no user or system config. */
export function fixtureEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.test',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.test',
    GIT_TERMINAL_PROMPT: '0',
  };
}

/** Runs plain git in `cwd` and returns its stdout (throws on a non-zero exit). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: fixtureEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Writes `files` (path -> content; null deletes) under `dir`, making folders as needed. */
export function writeFiles(dir: string, files: Record<string, string | Buffer | null>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (content === null) {
      fs.rmSync(file, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Writes `files`, stages everything and commits; returns the new commit. */
export function commitFiles(cwd: string, files: Record<string, string | Buffer | null>, message = 'change'): string {
  writeFiles(cwd, files);
  git(cwd, 'add', '--all');
  git(cwd, 'commit', '--quiet', '--no-verify', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD').trim();
}

/** A repo on branch `main` with one commit holding `files`, in a fresh temp folder. */
export function makeRepo(files: Record<string, string | Buffer> = { 'README.md': 'hello\n' }, name?: string): string {
  const dir = tempDir(name);
  git(dir, 'init', '--quiet', '--initial-branch=main');
  commitFiles(dir, files, 'initial commit');
  return dir;
}

/** The commit a ref points at. */
export function revParse(cwd: string, ref: string): string {
  return git(cwd, 'rev-parse', '--verify', ref).trim();
}

/** Every file under `dir` (except .git) with its bytes, for "nothing changed" checks. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel)).toString('base64'));
    }
  };
  walk('');
  return files;
}
