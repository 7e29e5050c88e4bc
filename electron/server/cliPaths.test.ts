import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandHome, repoArgument, resolvePathArgument } from './cliPaths.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-cli-home-'));
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-cli-cwd-'));
const where = { cwd, env: { HOME: home } };
afterAll(() => {
  for (const dir of [home, cwd]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('CLI path arguments', () => {
  it('expand a leading ~ or ~/ to the home, and nothing else', () => {
    expect(expandHome('~', '/home/ada')).toBe('/home/ada');
    expect(expandHome('~/code/app', '/home/ada')).toBe('/home/ada/code/app');
    expect(expandHome('~ada/code', '/home/ada')).toBe('~ada/code');
    expect(expandHome('code/~/app', '/home/ada')).toBe('code/~/app');
    expect(expandHome('/srv/app', '/home/ada')).toBe('/srv/app');
  });

  it('resolve against the CLI’s cwd and home', () => {
    expect(resolvePathArgument('~/x', where)).toBe(path.join(home, 'x'));
    expect(resolvePathArgument('~', where)).toBe(home);
    expect(resolvePathArgument('x', where)).toBe(path.join(cwd, 'x'));
    expect(resolvePathArgument('/abs/x', where)).toBe('/abs/x');
  });

  it('task new --repo: a path under ~ is a path; a bare name is an id unless it exists here', () => {
    expect(repoArgument('~/code/app', where)).toBe(path.join(home, 'code', 'app'));
    expect(repoArgument('~', where)).toBe(home);
    expect(repoArgument('r12', where)).toBe('r12');
    fs.mkdirSync(path.join(cwd, 'app'));
    expect(repoArgument('app', where)).toBe(path.join(cwd, 'app'));
  });
});
