import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxed } from '../../electron/core/sandbox/runSandboxed.js';
import { makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';

/**
 * SECURITY.md promise 16: nothing under the user's real home is readable unless allowlisted.
 * A denylist cannot name every credential (~/.config/*, ~/.claude, ~/.cargo/credentials.toml,
 * ~/.Xauthority, shell history…), so the home is hidden whole; the toolchains on PATH and the
 * repo's allowlist are shown again, read-only.
 */
let world: SandboxWorld;
let restoreEnv: () => void;
let toolBin: string;

const PLANTED = {
  '.config/some-cli/token.json': '{"token":"planted-config"}',
  '.claude/.credentials.json': '{"accessToken":"planted-claude"}',
  '.cargo/credentials.toml': 'token = "planted-cargo"',
  '.Xauthority': 'planted-xauth',
  '.bash_history': 'export GITHUB_TOKEN=planted-history',
  '.local/share/keyrings/login.keyring': 'planted-keyring',
  'Documents/taxes.txt': 'planted-documents',
  '.config/gh/hosts.yml': 'oauth_token: planted-gh',
};

beforeAll(async () => {
  world = await makeSandboxWorld();
  const home = world.userHome;
  for (const [file, content] of Object.entries(PLANTED)) {
    fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    fs.writeFileSync(path.join(home, file), `${content}\n`);
  }
  // A toolchain installed in the home, on PATH: it must keep working in every task.
  toolBin = path.join(home, '.mytool', 'versions', '1.0', 'bin');
  fs.mkdirSync(toolBin, { recursive: true });
  fs.mkdirSync(path.join(home, '.mytool', 'versions', '1.0', 'lib'));
  fs.writeFileSync(path.join(home, '.mytool', 'versions', '1.0', 'lib', 'message.txt'), 'tool ok\n');
  fs.writeFileSync(path.join(toolBin, 'mytool'), `#!/bin/sh\ncat "$(dirname "$0")/../lib/message.txt"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Allowlisted Person\n');
  restoreEnv = overrideEnv({ HOME: home, PATH: `${toolBin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
});

afterAll(() => {
  restoreEnv();
  world.dispose();
});

const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;

describe("the user's real home", () => {
  it('is hidden: no credential, history, keyring or document under it can be read or listed', async () => {
    const home = world.userHome;
    const reads = Object.keys(PLANTED).map((file) => `cat ${q(path.join(home, file))}`);
    const result = await world.run([...reads, `grep -rs planted ${q(home)}`, 'echo end'].join('; '));
    expect(result.output).toContain('end');
    expect(result.output).not.toContain('planted');
    const listing = await world.run(`ls -A ${q(home)}`);
    expect(listing.output).not.toMatch(/Documents|\.claude|\.bash_history|\.Xauthority|\.config/);
  });

  it('is not writable either', async () => {
    const result = await world.run(`echo pwned > ${q(path.join(world.userHome, 'pwned.txt'))}`);
    expect(result.exitCode).not.toBe(0);
    expect(fs.existsSync(path.join(world.userHome, 'pwned.txt'))).toBe(false);
  });

  it('keeps the toolchains on PATH working (control: they live in the hidden home)', async () => {
    const result = await world.run('mytool');
    expect(result).toMatchObject({ exitCode: 0, output: 'tool ok\n' });
    // Only the tool's own folder is shown, not its neighbours.
    const listing = await world.run(`ls -A ${q(world.userHome)}`);
    expect(listing.output.trim().split('\n')).toEqual(['.mytool']);
  });

  it('shows an allowlisted path read-only, at its place and under the task HOME where tools look for it', async () => {
    const gitconfig = path.join(world.userHome, '.gitconfig');
    const spec = { ...world.spec, homeReadOnlyPaths: [gitconfig, path.join(world.userHome, '.config')] };
    const allowed = (command: string) => runSandboxed(spec, command, { hiddenPaths: world.hiddenPaths, timeoutMs: 30_000 });
    const read = await allowed(`cat ${q(gitconfig)} && git config --global user.name`);
    expect(read).toMatchObject({ exitCode: 0 });
    expect(read.output).toBe('[user]\n\tname = Allowlisted Person\nAllowlisted Person\n');
    // Read-only, both places.
    const write = await allowed(`echo x >> ${q(gitconfig)}; echo x >> "$HOME/.gitconfig"; cat ${q(gitconfig)}`);
    expect(write.output).toMatch(/Read-only file system/);
    expect(fs.readFileSync(gitconfig, 'utf8')).toBe('[user]\n\tname = Allowlisted Person\n');
    // An allowlisted folder does not bring the credentials inside it along.
    const config = await allowed(`cat ${q(path.join(world.userHome, '.config', 'some-cli', 'token.json'))}; cat ${q(path.join(world.userHome, '.config', 'gh', 'hosts.yml'))}`);
    expect(config.output).toContain('planted-config');
    expect(config.output).not.toContain('planted-gh');
    // Without the allowlist, the same command finds nothing.
    expect((await world.run(`cat ${q(gitconfig)}`)).output).not.toContain('Allowlisted Person');
  });
});
