import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxMode } from '../../../shared/model/sandboxPolicy.js';
import type { SandboxSpec } from './sandboxSpec.js';
import { seatbeltArgs, seatbeltProfile } from './seatbeltProfile.js';

let root: string;
let worktree: string;
let homeDir: string;
let userHome: string;
let flotillaHome: string;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-seatbelt-')));
  flotillaHome = path.join(root, 'Flotilla');
  worktree = path.join(flotillaHome, 'worktrees', 'repo', 'task');
  homeDir = path.join(flotillaHome, 'task-homes', 't1');
  userHome = path.join(root, 'Users', 'me');
  for (const dir of [worktree, homeDir, path.join(userHome, '.ssh'), path.join(userHome, 'shared')]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(worktree, '.git'), 'gitdir: /x\n');
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function spec(overrides: Partial<SandboxSpec> = {}): SandboxSpec {
  return {
    mode: 'workspace-write',
    worktreePath: worktree,
    readOnlyPaths: [path.join(worktree, '.git')],
    extraWritablePaths: [],
    homeDir,
    allowNetwork: false,
    ...overrides,
  };
}

const opts = () => ({ hostEnv: { HOME: userHome }, hiddenPaths: [flotillaHome] });

/** The -D parameters of an argv, as name → value. */
function params(args: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (let i = 0; i < args.indexOf('--'); i++) {
    if (args[i] !== '-D') continue;
    const pair = args[i + 1] ?? '';
    found.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  return found;
}

/** Balanced parentheses outside strings and regexes: the cheapest check that SBPL will parse. */
function isBalanced(profile: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < profile.length; i++) {
    const c = profile[i];
    if (c === ';' && !inString) {
      i = profile.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === '"' && profile[i - 1] !== '\\') inString = !inString;
    else if (!inString && c === '(') depth++;
    else if (!inString && c === ')' && --depth < 0) return false;
  }
  return depth === 0 && !inString;
}

/** The rule lines of a profile that mention `operation`, comments left out. */
function rules(profile: string, operation: string): string[] {
  return profile.split('\n').filter((line) => !line.startsWith(';') && line.includes(operation));
}

describe('seatbeltArgs', () => {
  it('runs bash under a profile with every path passed as a -D parameter', () => {
    const command = `-x'; echo "$HOME"`;
    const args = seatbeltArgs(spec({ extraWritablePaths: [path.join(userHome, 'shared')] }), command, opts());
    expect(args[0]).toBe('-p');
    expect(args.slice(args.indexOf('--'))).toEqual(['--', '/bin/bash', '-c', '--', command]);
    const p = params(args);
    expect(p.get('WORKTREE')).toBe(worktree);
    expect(p.get('HOME_DIR')).toBe(homeDir);
    expect(p.get('TMP_DIR')).toBe(path.join(homeDir, 'tmp'));
    expect(p.get('RO_0')).toBe(path.join(worktree, '.git'));
    expect(p.get('HIDDEN_0')).toBe(flotillaHome);
    expect(p.get('WRITABLE_0')).toBe(path.join(userHome, 'shared'));
    expect([...p.entries()].filter(([name]) => name.startsWith('SECRET_')).map(([, value]) => value)).toContain(path.join(userHome, '.ssh'));
    // Every parameter the profile uses is defined, and no path is spelled in the profile itself.
    const profile = args[1] ?? '';
    for (const [, name] of profile.matchAll(/\(param "([A-Z_0-9]+)"\)/g)) expect(p.has(name ?? '')).toBe(true);
    for (const value of p.values()) expect(profile).not.toContain(value);
  });

  it('passes the real home and what is shown of it as parameters: the PATH toolchains and the allowlist', () => {
    const tool = path.join(userHome, '.pyenv', 'shims');
    const gitconfig = path.join(userHome, '.gitconfig');
    fs.mkdirSync(tool, { recursive: true });
    fs.writeFileSync(gitconfig, '[user]\n');
    const args = seatbeltArgs(spec({ homeReadOnlyPaths: [gitconfig] }), 'true', { ...opts(), hostEnv: { HOME: userHome, PATH: `${tool}:/usr/bin` } });
    const p = params(args);
    expect(p.get('REAL_HOME_0')).toBe(userHome);
    const shown = [...p.entries()].filter(([name]) => name.startsWith('SHOWN_')).map(([, value]) => value);
    expect(shown.sort()).toEqual([gitconfig, path.join(userHome, '.pyenv')].sort());
  });

  it('cannot be steered by a path that looks like profile syntax', () => {
    const evil = path.join(root, 'evil")(allow default)(deny file-read* (subpath "');
    fs.mkdirSync(evil, { recursive: true });
    const plain = path.join(root, 'plain');
    fs.mkdirSync(plain);
    const withEvil = seatbeltArgs(spec({ worktreePath: evil, extraWritablePaths: [evil] }), 'true', opts());
    const withPlain = seatbeltArgs(spec({ worktreePath: plain, extraWritablePaths: [plain] }), 'true', opts());
    // Same shape, same profile: the text does not depend on what a path contains.
    expect(withEvil[1]).toBe(withPlain[1]);
    expect(withEvil[1]).not.toContain('allow default');
    expect(params(withEvil).get('WORKTREE')).toBe(evil);
    expect(params(withEvil).get('WRITABLE_0')).toBe(evil);
  });

  it('passes allowlisted unix sockets as parameters, canonical, never in the profile text', () => {
    const socketDir = path.join(root, 'var', 'run');
    fs.mkdirSync(socketDir, { recursive: true });
    fs.symlinkSync(socketDir, path.join(root, 'run-link'));
    const evil = path.join(root, 'evil")(allow default)(.sock');
    const args = seatbeltArgs(spec({ unixSockets: [path.join(root, 'run-link', 'docker.sock'), evil, 'relative.sock'] }), 'true', opts());
    const p = params(args);
    expect(p.get('SOCKET_0')).toBe(path.join(socketDir, 'docker.sock'));
    expect(p.get('SOCKET_1')).toBe(evil);
    expect(p.has('SOCKET_2')).toBe(false);
    const profile = args[1] ?? '';
    expect(profile).toContain('(allow network-outbound (literal (param "SOCKET_0")))');
    expect(profile).toContain('(allow network-outbound (literal (param "SOCKET_1")))');
    expect(profile).not.toContain('allow default');
    for (const [, name] of profile.matchAll(/\(param "([A-Z_0-9]+)"\)/g)) expect(p.has(name ?? '')).toBe(true);
  });

  it('refuses to build a profile for full access, which runs without sandbox-exec', () => {
    expect(() => seatbeltArgs(spec({ mode: 'full-access' }), 'true', opts())).toThrow(/full-access/);
  });

  it('refuses relative or root paths, and dangerous extra writable paths', () => {
    expect(() => seatbeltArgs(spec({ worktreePath: 'wt' }), 'true', opts())).toThrow(/absolute/);
    expect(() => seatbeltArgs(spec({ homeDir: '/' }), 'true', opts())).toThrow(/root/);
    expect(() => seatbeltArgs(spec({ extraWritablePaths: [userHome] }), 'true', opts())).toThrow(/\.ssh/);
    expect(() => seatbeltArgs(spec({ extraWritablePaths: [root] }), 'true', opts())).toThrow(/overlaps/);
  });
});

describe('seatbeltProfile', () => {
  const shape = (mode: Exclude<SandboxMode, 'full-access'>, allowNetwork: boolean) => ({
    mode,
    allowNetwork,
    readOnlyCount: 2,
    secretCount: 3,
    hiddenCount: 1,
    realHomeCount: 1,
    shownCount: 2,
    writableCount: 1,
    socketCount: 0,
  });

  it.each([
    ['workspace-write', false],
    ['workspace-write', true],
    ['read-only', false],
    ['read-only', true],
  ] as const)('%s, network %s: deny by default, balanced, no blanket allow', (mode, allowNetwork) => {
    const profile = seatbeltProfile(shape(mode, allowNetwork));
    expect(profile.startsWith('(version 1)\n(deny default)\n')).toBe(true);
    expect(isBalanced(profile)).toBe(true);
    expect(profile).not.toMatch(/\(allow default\)|\(allow file-write\*\)|\(allow network\*?\)|\(allow mach-lookup\)/);
    expect(profile).not.toMatch(/appleevent|lsopen|launchservices/i);
  });

  it('workspace-write: writes to the worktree, HOME, tmp and approved paths, then the git metadata denied again', () => {
    const profile = seatbeltProfile(shape('workspace-write', false));
    const [allowWrite] = rules(profile, '(allow file-write* (subpath');
    expect(allowWrite).toBe(
      '(allow file-write* (subpath (param "WORKTREE")) (subpath (param "HOME_DIR")) (subpath (param "TMP_DIR")) (subpath (param "WRITABLE_0")))',
    );
    const denyWrite = '(deny file-write* (subpath (param "RO_0")) (subpath (param "RO_1")))';
    expect(profile).toContain(denyWrite);
    // Later rules win in SBPL: the deny must come after the allow.
    expect(profile.indexOf(denyWrite)).toBeGreaterThan(profile.indexOf(allowWrite ?? '(none)'));
  });

  it('read-only: the worktree is not writable at all', () => {
    const profile = seatbeltProfile(shape('read-only', false));
    const allowWrite = rules(profile, 'file-write*').filter((line) => line.startsWith('(allow') && line.includes('subpath'));
    expect(allowWrite).toEqual(['(allow file-write* (subpath (param "HOME_DIR")) (subpath (param "TMP_DIR")) (subpath (param "WRITABLE_0")))']);
  });

  it('hides credentials entirely and hidden dirs data, then shows the task its own dirs again', () => {
    const profile = seatbeltProfile(shape('workspace-write', false));
    const denySecrets = '(deny file-read* (subpath (param "SECRET_0")) (subpath (param "SECRET_1")) (subpath (param "SECRET_2")))';
    const denyHidden = '(deny file-read-data (subpath (param "HIDDEN_0")))';
    const allowOwn = '(allow file-read* (subpath (param "WORKTREE")) (subpath (param "HOME_DIR")) (subpath (param "TMP_DIR")) (subpath (param "WRITABLE_0")))';
    for (const rule of [denySecrets, denyHidden, allowOwn]) expect(profile).toContain(rule);
    expect(profile.indexOf('(allow file-read*)')).toBeLessThan(profile.indexOf(denySecrets));
    expect(profile.indexOf(denyHidden)).toBeLessThan(profile.indexOf(allowOwn));
  });

  it('hides the real home (contents, not the path to inside it), then shows its toolchains, allowlist and git dirs, then hides credentials again', () => {
    const profile = seatbeltProfile(shape('workspace-write', false));
    const denyHome = '(deny file-read-data (subpath (param "REAL_HOME_0")))';
    const showAgain = '(allow file-read* (subpath (param "SHOWN_0")) (subpath (param "SHOWN_1")) (subpath (param "RO_0")) (subpath (param "RO_1")))';
    const denySecrets = '(deny file-read* (subpath (param "SECRET_0")) (subpath (param "SECRET_1")) (subpath (param "SECRET_2")))';
    expect(profile.indexOf('(allow file-read*)')).toBeLessThan(profile.indexOf(denyHome));
    expect(profile.indexOf(denyHome)).toBeLessThan(profile.indexOf(showAgain));
    expect(profile.indexOf(showAgain)).toBeLessThan(profile.indexOf(denySecrets));
  });

  it('no network: not a single network rule; network: IP only, never unix sockets in general', () => {
    expect(rules(seatbeltProfile(shape('workspace-write', false)), 'network')).toEqual([]);
    const withNetwork = rules(seatbeltProfile(shape('workspace-write', true)), 'network');
    expect(withNetwork).toEqual([
      '(allow network-outbound (remote ip "*:*"))',
      '(allow network-inbound (local ip "*:*"))',
      '(allow network-bind (local ip "*:*"))',
      '(allow network-outbound (literal "/private/var/run/mDNSResponder"))',
    ]);
  });

  it.each([false, true])('allowlisted sockets (network %s): connect to each listed one, nothing wider', (allowNetwork) => {
    const profile = seatbeltProfile({ ...shape('workspace-write', allowNetwork), socketCount: 2 });
    expect(isBalanced(profile)).toBe(true);
    const outbound = ['(allow network-outbound (literal (param "SOCKET_0")))', '(allow network-outbound (literal (param "SOCKET_1")))'];
    for (const rule of outbound) expect(profile).toContain(rule);
    // Without network, creating a unix socket must be allowed for them; with it, (allow system-socket) already is.
    expect(rules(profile, 'system-socket')).toEqual(allowNetwork ? ['(allow system-socket)'] : ['(allow system-socket (socket-domain AF_UNIX))']);
    // No rule for unix sockets in general: no path-less outbound or bind, no regex.
    expect(rules(profile, 'network-bind').filter((line) => !line.includes('(local ip'))).toEqual([]);
    expect(rules(profile, 'network-outbound').filter((line) => !line.includes('(remote ip') && !line.includes('mDNSResponder'))).toEqual(outbound);
    expect(profile).not.toMatch(/unix-socket|path-regex/);
  });

  it('leaves out rules for empty lists rather than writing an empty filter', () => {
    const profile = seatbeltProfile({
      mode: 'workspace-write',
      allowNetwork: false,
      readOnlyCount: 0,
      secretCount: 0,
      hiddenCount: 0,
      realHomeCount: 0,
      shownCount: 0,
      writableCount: 0,
      socketCount: 0,
    });
    expect(profile).not.toMatch(/\(deny file-(read|write)[^)]*\)\n/);
    expect(profile).not.toContain('RO_');
    expect(isBalanced(profile)).toBe(true);
  });
});
