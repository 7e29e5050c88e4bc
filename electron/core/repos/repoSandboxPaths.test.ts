import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHomeReadOnlyPaths, checkUnixSockets, type PathContext } from './repoSandboxPaths.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-repo-paths-')));
const home = path.join(root, 'me');
const flotillaHome = path.join(home, '.local', 'share', 'flotilla');
fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
fs.mkdirSync(flotillaHome, { recursive: true });
fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n');
// A dotfile that is really the SSH folder, under another name.
fs.symlinkSync(path.join(home, '.ssh'), path.join(home, 'keys'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// The passwd home (os.userInfo) is a real home too: paths there are inside "a home".
const ctx: PathContext = { hostEnv: { HOME: home }, flotillaHome };
const passwdHome = os.userInfo().homedir;

describe('checkHomeReadOnlyPaths', () => {
  it('expands ~/ and keeps absolute paths under the home, normalized and without repeats', () => {
    expect(checkHomeReadOnlyPaths(['~/.gitconfig', `${home}/.cargo/registry/`, '~/.cargo/./registry', '~/.gitconfig'], ctx)).toEqual({
      ok: true,
      paths: [path.join(home, '.gitconfig'), path.join(home, '.cargo', 'registry')],
    });
    expect(checkHomeReadOnlyPaths([], ctx)).toEqual({ ok: true, paths: [] });
  });

  it('refuses relative paths, other users’ homes, the root and paths outside the home, naming each', () => {
    const outside = path.join(root, 'elsewhere');
    const result = checkHomeReadOnlyPaths(['.gitconfig', '~bob/.gitconfig', '/', outside, '~/fine'], ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/^Home paths refused: /);
    expect(result.message).toContain('".gitconfig" is relative (write it from / or from ~/)');
    expect(result.message).toContain('"~bob/.gitconfig" names another user’s home');
    expect(result.message).toContain('"/" is the whole file system');
    expect(result.message).toContain(`"${outside}" is outside your home`);
    expect(result.message).not.toContain('fine');
  });

  it('refuses the home itself, the credential folders, folders that hold one, and links into one', () => {
    const result = checkHomeReadOnlyPaths(['~', '~/.ssh/id_ed25519', '~/.config', '~/.config/gh/hosts.yml', '~/keys'], ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('"~" is your whole home');
    expect(result.message).toContain('"~/.ssh/id_ed25519" is inside ~/.ssh, which holds credentials and is never shown');
    expect(result.message).toContain('"~/.config" holds ~/.config/gh');
    expect(result.message).toContain('"~/.config/gh/hosts.yml" is inside ~/.config/gh');
    expect(result.message).toContain(`"~/keys" leads to ${path.join(home, '.ssh')} (a symlink), which is inside ~/.ssh`);
  });

  it('refuses FLOTILLA_HOME, what is inside it and what holds it', () => {
    const result = checkHomeReadOnlyPaths(['~/.local/share/flotilla/flotilla.db', '~/.local/share', '~/.local/bin'], ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(`"~/.local/share/flotilla/flotilla.db" is inside Flotilla’s own folder ${flotillaHome}`);
    expect(result.message).toContain(`"~/.local/share" holds Flotilla’s own folder ${flotillaHome}`);
    expect(result.message).not.toContain('~/.local/bin');
  });

  it('shows a NUL or line break instead of acting on it, and refuses empty entries', () => {
    const result = checkHomeReadOnlyPaths(['~/a\nb', '~/c\0', ' '], ctx);
    expect(result).toEqual({
      ok: false,
      message: 'Home paths refused: "~/a\\nb" holds a NUL or line break; "~/c\\u0000" holds a NUL or line break; " " is empty.',
    });
  });

  it('accepts paths in the passwd home too, when $HOME points elsewhere', (test) => {
    if (passwdHome === home || passwdHome === '/') test.skip(`the passwd home is ${passwdHome}: no home of its own to test apart from $HOME`);
    expect(checkHomeReadOnlyPaths([path.join(passwdHome, '.gitconfig')], ctx)).toEqual({ ok: true, paths: [path.join(passwdHome, '.gitconfig')] });
  });
});

describe('checkUnixSockets', () => {
  it('keeps absolute paths (missing ones too: docker may be stopped) and expands ~/', () => {
    expect(checkUnixSockets(['/var/run/docker.sock', '~/.colima/docker.sock', '/var/run/docker.sock'], ctx)).toEqual({
      ok: true,
      paths: ['/var/run/docker.sock', path.join(home, '.colima', 'docker.sock')],
    });
  });

  it('refuses relative paths, the root, NUL and line breaks, naming each', () => {
    expect(checkUnixSockets(['docker.sock', '/', '/run/a\nb', '/run/ok.sock'], ctx)).toEqual({
      ok: false,
      message:
        'Host sockets refused: "docker.sock" is relative (write it from / or from ~/); "/" is the whole file system; "/run/a\\nb" holds a NUL or line break.',
    });
  });
});
