import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { homeExposure, toolRoot } from './homeExposure.js';

let root: string;
let home: string;
let taskHome: string;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-home-exposure-')));
  home = path.join(root, 'home', 'me');
  taskHome = path.join(root, 'flotilla', 'task-homes', 't1');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(taskHome, { recursive: true });
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function mkdirs(...relative: string[]): string[] {
  return relative.map((rel) => {
    const dir = path.join(home, rel);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  });
}

describe('toolRoot', () => {
  it("shows a tool's own folder for its bin or shims, but only the PATH folder inside a shared one", () => {
    expect(toolRoot('/h/.nvm/versions/node/v20/bin', '/h')).toBe('/h/.nvm/versions/node/v20');
    expect(toolRoot('/h/.pyenv/shims', '/h')).toBe('/h/.pyenv');
    expect(toolRoot('/h/go/bin', '/h')).toBe('/h/go');
    // Shared folders: ~ itself, ~/.local, ~/.cargo (credentials.toml lives there), ~/.config.
    expect(toolRoot('/h/bin', '/h')).toBe('/h/bin');
    expect(toolRoot('/h/.local/bin', '/h')).toBe('/h/.local/bin');
    expect(toolRoot('/h/.cargo/bin', '/h')).toBe('/h/.cargo/bin');
    expect(toolRoot('/h/.config/bin', '/h')).toBe('/h/.config/bin');
    // Not a bin folder: itself.
    expect(toolRoot('/h/.local/share/pnpm', '/h')).toBe('/h/.local/share/pnpm');
  });
});

describe('homeExposure', () => {
  it('hides the real home and shows again only the toolchains on PATH', () => {
    const [nodeBin, pyShims, localBin] = mkdirs('.nvm/versions/node/v20/bin', '.pyenv/shims', '.local/bin');
    mkdirs('.config/secret-app', '.claude');
    const exposure = homeExposure({
      hostEnv: { HOME: home, PATH: [nodeBin, pyShims, localBin, '/usr/bin', 'relative/bin'].join(':') },
      allowlisted: [],
      taskHome,
    });
    expect(exposure.hidden).toContain(home);
    expect(exposure.shown.sort()).toEqual([path.join(home, '.nvm/versions/node/v20'), path.join(home, '.pyenv'), localBin].sort());
    expect(exposure.mirrored).toEqual([]);
  });

  it("follows a PATH folder's links to the tool they lead to (pipx, npm link)", () => {
    const [localBin, venvBin] = mkdirs('.local/bin', '.local/share/pipx/venvs/black/bin');
    fs.writeFileSync(path.join(venvBin ?? '', 'black'), '#!/bin/sh\n');
    fs.symlinkSync(path.join(venvBin ?? '', 'black'), path.join(localBin ?? '', 'black'));
    fs.symlinkSync('/usr/bin/env', path.join(localBin ?? '', 'outside-home'));
    const exposure = homeExposure({ hostEnv: { HOME: home, PATH: `${localBin}:/usr/bin` }, allowlisted: [], taskHome });
    expect(exposure.shown.sort()).toEqual([localBin, path.join(home, '.local/share/pipx/venvs/black')].sort());
  });

  it('shows and mirrors rustup’s data when its proxies are on PATH', () => {
    const [cargoBin] = mkdirs('.cargo/bin', '.rustup/toolchains');
    fs.writeFileSync(path.join(home, '.cargo', 'credentials.toml'), 'token = "x"\n');
    const exposure = homeExposure({ hostEnv: { HOME: home, PATH: `${cargoBin}:/usr/bin` }, allowlisted: [], taskHome });
    expect(exposure.shown.sort()).toEqual([cargoBin, path.join(home, '.rustup')].sort());
    expect(exposure.mirrored).toEqual([[path.join(home, '.rustup'), path.join(taskHome, '.rustup')]]);
  });

  it('shows the allowlist and mirrors it under the task HOME, but never a credential folder or a path outside the home', () => {
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n');
    const [cache, ssh] = mkdirs('.cache/pip', '.ssh');
    const outside = path.join(root, 'elsewhere');
    fs.mkdirSync(outside);
    const exposure = homeExposure({
      hostEnv: { HOME: home, PATH: '/usr/bin' },
      allowlisted: [path.join(home, '.gitconfig'), cache ?? '', ssh ?? '', path.join(ssh ?? '', 'id_rsa'), outside, path.join(home, 'missing'), 'relative'],
      taskHome,
    });
    expect(exposure.shown).toEqual([path.join(home, '.gitconfig'), cache]);
    expect(exposure.mirrored).toEqual([
      [path.join(home, '.gitconfig'), path.join(taskHome, '.gitconfig')],
      [cache, path.join(taskHome, '.cache', 'pip')],
    ]);
  });

  it('never hides a home that is a system folder (a service account with HOME=/ or /var)', () => {
    for (const systemHome of ['/', '/var', '/usr']) {
      expect(homeExposure({ hostEnv: { HOME: systemHome, PATH: '/usr/bin' }, allowlisted: [], taskHome }).hidden).not.toContain(systemHome);
    }
  });
});
