import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkWritablePath } from './writablePaths.js';

let root: string;
let home: string;
let flotillaHome: string;
let gitDir: string;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-writable-')));
  home = path.join(root, 'home');
  flotillaHome = path.join(root, 'data', 'flotilla');
  gitDir = path.join(root, 'projects', 'app', '.git');
  for (const dir of [path.join(home, '.ssh'), path.join(home, 'cache'), flotillaHome, path.join(gitDir, 'hooks')]) fs.mkdirSync(dir, { recursive: true });
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const ctx = () => ({ hostEnv: { HOME: home }, hiddenPaths: [flotillaHome], readOnlyPaths: [gitDir] });

describe('checkWritablePath', () => {
  it('accepts an ordinary folder and returns its real path', () => {
    const link = path.join(root, 'link-to-cache');
    fs.symlinkSync(path.join(home, 'cache'), link);
    expect(checkWritablePath(path.join(home, 'cache'), ctx())).toEqual({ ok: true, path: path.join(home, 'cache') });
    expect(checkWritablePath(link, ctx())).toEqual({ ok: true, path: path.join(home, 'cache') });
    // The repo's own checkout is fine: its .git stays read-only (deeper mounts win).
    expect(checkWritablePath(path.join(root, 'projects', 'app'), ctx())).toMatchObject({ ok: true });
  });

  it.for<[string, () => string, 'invalid_input' | 'not_found', RegExp]>([
    ['relative', () => 'cache', 'invalid_input', /absolute/],
    ['missing', () => path.join(root, 'nope'), 'not_found', /no such path/],
    ['the root', () => '/', 'invalid_input', /root directory/],
    ['the home (parent of ~/.ssh)', () => home, 'invalid_input', /\.ssh/],
    ['a credential dir', () => path.join(home, '.ssh'), 'invalid_input', /\.ssh/],
    ['a parent of FLOTILLA_HOME', () => path.join(root, 'data'), 'invalid_input', /flotilla/],
    ['inside FLOTILLA_HOME', () => flotillaHome, 'invalid_input', /flotilla/],
    ['the git hooks', () => path.join(gitDir, 'hooks'), 'invalid_input', /read-only/],
    ['/run (host sockets)', () => '/run', 'invalid_input', /\/run/],
  ])('refuses %s', ([_name, p, kind, message], test) => {
    if (!fs.existsSync(p()) && kind !== 'not_found' && path.isAbsolute(p())) test.skip(`${p()} does not exist here`);
    const result = checkWritablePath(p(), ctx());
    expect(result).toMatchObject({ ok: false, kind });
    expect(!result.ok && result.message).toMatch(message);
  });

  it('refuses a symlink that leads into a credential dir', () => {
    const link = path.join(root, 'innocent');
    fs.symlinkSync(path.join(home, '.ssh'), link);
    expect(checkWritablePath(link, ctx())).toMatchObject({ ok: false, kind: 'invalid_input' });
  });
});
