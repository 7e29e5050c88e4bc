import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeProcessLimiter } from '../../electron/core/sandbox/processLimit.js';
import { runSandboxed } from '../../electron/core/sandbox/runSandboxed.js';
import type { SandboxSpec } from '../../electron/core/sandbox/sandboxSpec.js';
import { eventually, hostPidsMatching, makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';

/** The three sandbox modes, and the writable paths a user grants through an approval. */
let world: SandboxWorld;
let restoreEnv: () => void;
/** Outside the host's /tmp (which the sandbox replaces), so the sandbox sees it as the host does. */
let outside: string;

beforeAll(async () => {
  world = await makeSandboxWorld();
  restoreEnv = overrideEnv({ HOME: world.userHome, OPENAI_API_KEY: 'sk-planted-modes', GH_TOKEN: 'ghp_planted_modes' });
  outside = fs.realpathSync(fs.mkdtempSync(path.join(fs.existsSync('/var/tmp') ? '/var/tmp' : os.homedir(), 'flotilla-modes-')));
  fs.mkdirSync(path.join(outside, 'approved'));
  fs.mkdirSync(path.join(outside, 'not-approved'));
});

afterAll(() => {
  restoreEnv();
  world.dispose();
  fs.rmSync(outside, { recursive: true, force: true });
});

const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;
const run = (spec: SandboxSpec, command: string, opts: Parameters<typeof runSandboxed>[2] = {}) =>
  runSandboxed(spec, command, { hiddenPaths: world.hiddenPaths, timeoutMs: 30_000, ...opts });

describe('read-only mode', () => {
  it('reads the worktree but writes nothing there; HOME and /tmp stay usable', async () => {
    const spec: SandboxSpec = { ...world.spec, mode: 'read-only' };
    const result = await run(spec, 'cat README.md; echo x > new.txt || echo REFUSED-1; echo y >> README.md || echo REFUSED-2; echo c > "$HOME/c" && echo t > /tmp/t && echo SCRATCH-OK');
    expect(result.output).toContain('# demo');
    expect(result.output).toContain('REFUSED-1');
    expect(result.output).toContain('REFUSED-2');
    expect(result.output).toContain('SCRATCH-OK');
    expect(fs.existsSync(path.join(world.worktree, 'new.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(world.worktree, 'README.md'), 'utf8')).toBe('# demo\n');
  });
});

describe('extra writable paths (granted through an approval)', () => {
  it('makes exactly the approved folder writable', async () => {
    const spec: SandboxSpec = { ...world.spec, extraWritablePaths: [path.join(outside, 'approved')] };
    const result = await run(spec, `echo ok > ${q(path.join(outside, 'approved', 'out.txt'))} && echo WROTE; echo no > ${q(path.join(outside, 'not-approved', 'out.txt'))} || echo REFUSED`);
    expect(result.output).toContain('WROTE');
    expect(result.output).toContain('REFUSED');
    expect(fs.readFileSync(path.join(outside, 'approved', 'out.txt'), 'utf8')).toBe('ok\n');
    expect(fs.existsSync(path.join(outside, 'not-approved', 'out.txt'))).toBe(false);
    // Control: without the grant the same write is refused.
    const before = await run(world.spec, `echo ok > ${q(path.join(outside, 'approved', 'again.txt'))} || echo REFUSED`);
    expect(before.output).toContain('REFUSED');
    expect(fs.existsSync(path.join(outside, 'approved', 'again.txt'))).toBe(false);
  });

  it('keeps the .git metadata read-only even when its repo is granted', async () => {
    const spec: SandboxSpec = { ...world.spec, readOnlyPaths: world.spec.readOnlyPaths.filter((p) => p !== world.root), extraWritablePaths: [world.repo] };
    // The repo lives under the test root, which the world binds read-only for visibility: use a spec without it.
    const configBefore = fs.readFileSync(path.join(world.commonDir, 'config'), 'utf8');
    const result = await run(spec, `echo note > ${q(path.join(world.repo, 'NOTES.md'))} && echo WROTE; echo x >> ${q(path.join(world.commonDir, 'config'))} || echo REFUSED`);
    expect(result.output).toContain('WROTE');
    expect(result.output).toContain('REFUSED');
    expect(fs.readFileSync(path.join(world.repo, 'NOTES.md'), 'utf8')).toBe('note\n');
    expect(fs.readFileSync(path.join(world.commonDir, 'config'), 'utf8')).toBe(configBefore);
  });

  it('refuses to run at all with a grant that would expose credentials or the app data', async () => {
    await expect(run({ ...world.spec, extraWritablePaths: [world.userHome] }, 'true')).rejects.toThrow(/overlaps/);
    await expect(run({ ...world.spec, extraWritablePaths: [world.flotillaHome] }, 'true')).rejects.toThrow(/overlaps/);
    await expect(run({ ...world.spec, extraWritablePaths: ['/'] }, 'true')).rejects.toThrow(/root/);
  });
});

describe('full-access mode (no sandbox, chosen by the user)', () => {
  const fullAccess = () => ({ ...world.spec, mode: 'full-access' as const });

  it('runs directly: host files and the host network are reachable, even without bubblewrap', async () => {
    const server = net.createServer((socket) => socket.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const target = path.join(world.root, 'written-with-full-access.txt');
      const result = await run(fullAccess(), `echo direct > ${q(target)} && exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`, {
        bwrapPath: path.join(world.root, 'no-bwrap-here'),
      });
      expect(result.exitCode).toBe(0);
      expect(result.output).toContain('hello from the host');
      expect(fs.readFileSync(target, 'utf8')).toBe('direct\n');
    } finally {
      server.close();
    }
  });

  it('still runs in the worktree with the environment allowlist and the per-task HOME', async () => {
    const result = await run(fullAccess(), 'pwd; echo "HOME=$HOME"; env');
    const [cwd, home] = result.output.split('\n');
    expect(cwd).toBe(world.worktree);
    expect(home).toBe(`HOME=${world.taskHome}`);
    expect(result.output).not.toContain('planted');
    expect(result.output).not.toMatch(/^(OPENAI_API_KEY|GH_TOKEN|SSH_AUTH_SOCK)=/m);
  });

  it('still stops at the wall time and the output cap', async () => {
    expect(await run(fullAccess(), 'sleep 600', { timeoutMs: 300 })).toMatchObject({ isKilled: true, exitCode: null });
    const flood = await run(fullAccess(), 'yes', { maxOutputChars: 5_000 });
    expect(flood).toMatchObject({ isKilled: true, isTruncated: true });
  });

  it('kills what the command left behind when it exits, and everything on stop', async () => {
    const token = String(800_000 + Math.floor(Math.random() * 99_999));
    const result = await run(fullAccess(), `sleep ${token} >/dev/null 2>&1 & echo started`);
    expect(result.output).toBe('started\n');
    expect(await eventually(() => hostPidsMatching(token).length === 0)).toBe(true);
    // A daemon in its own session leaves the process group; only a cgroup still holds it.
    if ((await probeProcessLimiter()).kind === 'cgroup') {
      const escaped = await run(fullAccess(), `setsid sleep ${token} >/dev/null 2>&1 < /dev/null & echo started`);
      expect(escaped.output).toBe('started\n');
      expect(await eventually(() => hostPidsMatching(token).length === 0)).toBe(true);
    }

    const controller = new AbortController();
    const stopped = run(fullAccess(), `sleep ${token} >/dev/null 2>&1 & echo started; sleep 600`, {
      signal: controller.signal,
      onOutput: (chunk) => {
        if (chunk.includes('started')) void eventually(() => hostPidsMatching(token).length === 1).then(() => controller.abort());
      },
    });
    expect(await stopped).toMatchObject({ isKilled: true });
    expect(await eventually(() => hostPidsMatching(token).length === 0, 1_000)).toBe(true);
  });
});
