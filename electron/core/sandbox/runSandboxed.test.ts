import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxed, SandboxUnavailableError } from './runSandboxed.js';
import type { SandboxSpec } from './sandboxSpec.js';

let root: string;
let spec: SandboxSpec;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-run-'));
  spec = {
    mode: 'workspace-write',
    worktreePath: path.join(root, 'wt'),
    readOnlyPaths: [],
    extraWritablePaths: [],
    homeDir: path.join(root, 'home'),
    allowNetwork: false,
  };
  fs.mkdirSync(spec.worktreePath);
  fs.mkdirSync(spec.homeDir);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('runSandboxed', () => {
  it("reports the command's exit code, stdout and stderr", async () => {
    const result = await runSandboxed(spec, 'echo out; echo err >&2; exit 3');
    expect(result).toMatchObject({ exitCode: 3, isKilled: false, isTruncated: false });
    expect(result.output).toContain('out\n');
    expect(result.output).toContain('err\n');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('streams output live and decodes a character split across two writes', async () => {
    const chunks: string[] = [];
    const result = await runSandboxed(spec, "printf 'a\\303'; sleep 0.2; printf '\\251b\\n'", { onOutput: (chunk) => chunks.push(chunk) });
    expect(result.output).toBe('aéb\n');
    expect(chunks.join('')).toBe('aéb\n');
    expect(chunks.length).toBeGreaterThanOrEqual(2);
  });

  it('runs a command that starts with a dash as a command', async () => {
    const result = await runSandboxed(spec, '-definitely-not-a-command');
    expect(result.exitCode).toBe(127);
    expect(result.output).toMatch(/-definitely-not-a-command: command not found|not found/);
  });

  it('on macOS runs the command through sandbox-exec with the seatbelt profile, in the worktree', async () => {
    // A stand-in for /usr/bin/sandbox-exec: records its argv, cwd and environment, then runs what follows `--`.
    const record = path.join(root, 'sandbox-exec.record');
    const fake = path.join(root, 'sandbox-exec');
    fs.writeFileSync(
      fake,
      `#!/bin/bash\n{ printf '%s\\0' "$@"; printf 'CWD=%s\\0TMPDIR=%s\\0HOME=%s\\0' "$PWD" "$TMPDIR" "$HOME"; } > '${record}'\nwhile [ "$1" != "--" ]; do shift; done; shift; exec "$@"\n`,
      { mode: 0o755 },
    );
    const result = await runSandboxed(spec, 'echo "via seatbelt in $PWD"', { platform: 'darwin', sandboxExecPath: fake });
    expect(result).toMatchObject({ exitCode: 0, output: `via seatbelt in ${spec.worktreePath}\n` });
    const recorded = fs.readFileSync(record, 'utf8').split('\0');
    expect(recorded[0]).toBe('-p');
    expect(recorded[1]).toMatch(/^\(version 1\)\n\(deny default\)/);
    expect(recorded).toContain(`WORKTREE=${fs.realpathSync(spec.worktreePath)}`);
    const tmpDir = path.join(spec.homeDir, 'tmp');
    expect(recorded).toContain(`CWD=${spec.worktreePath}`);
    expect(recorded).toContain(`TMPDIR=${tmpDir}`);
    expect(recorded).toContain(`HOME=${spec.homeDir}`);
    expect(fs.statSync(tmpDir).isDirectory()).toBe(true);
  });

  it('on macOS without sandbox-exec, refuses to run anything', async () => {
    const marker = path.join(spec.worktreePath, 'ran-without-seatbelt');
    const attempt = runSandboxed(spec, `touch '${marker}'`, { platform: 'darwin', sandboxExecPath: path.join(root, 'missing-sandbox-exec') });
    await expect(attempt).rejects.toBeInstanceOf(SandboxUnavailableError);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('treats a missing worktree as a bug in the caller, not a command failure', async () => {
    await expect(runSandboxed({ ...spec, worktreePath: path.join(root, 'gone') }, 'true')).rejects.toThrow(/worktreePath is not a directory/);
  });
});
