import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimServerFile, findRunningServer, NO_HOST_MESSAGE, removeServerFile, serverFilePath, writeServerFile } from './serverFile.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-serverfile-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

/** A pid that surely belongs to no process: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 999_999;
}

const info = (pid: number) => ({ url: 'http://127.0.0.1:4321/?token=abc', port: 4321, token: 'abc', pid });

describe('server.json', () => {
  it('says no host runs when the file is absent, stale or malformed', async () => {
    expect(findRunningServer(home)).toEqual({ ok: false, message: NO_HOST_MESSAGE });
    writeServerFile(home, info(await deadPid()));
    expect(findRunningServer(home)).toEqual({ ok: false, message: NO_HOST_MESSAGE });
    fs.writeFileSync(serverFilePath(home), '{ not json');
    expect(findRunningServer(home)).toEqual({ ok: false, message: NO_HOST_MESSAGE });
  });

  it('finds a live host, written 0600', () => {
    writeServerFile(home, info(process.pid));
    expect(fs.statSync(serverFilePath(home)).mode & 0o777).toBe(0o600);
    expect(findRunningServer(home)).toEqual({ ok: true, info: info(process.pid) });
  });

  it('lets one host claim the file, refuses a second while the first lives, takes over a dead one', async () => {
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const livePid = live.pid ?? 0;
      expect(claimServerFile(home, livePid)).toEqual({ ok: true });
      expect(fs.statSync(serverFilePath(home)).mode & 0o777).toBe(0o600);
      // Claimed but not yet serving: clients hear that it is starting.
      expect(findRunningServer(home)).toEqual({ ok: false, message: expect.stringMatching(/still starting/) });
      writeServerFile(home, info(livePid));
      const second = claimServerFile(home, process.pid);
      expect(second).toEqual({ ok: false, message: expect.stringContaining(`pid ${livePid} at http://127.0.0.1:4321/`) });
      expect(second.ok === false && second.message).not.toContain('abc');
    } finally {
      live.kill();
    }
    writeServerFile(home, info(await deadPid()));
    expect(claimServerFile(home, process.pid)).toEqual({ ok: true });
    expect(fs.readdirSync(home)).toEqual(['server.json']);
  });

  it('removes the file only for the host that owns it', () => {
    writeServerFile(home, info(process.pid));
    removeServerFile(home, process.pid + 1);
    expect(fs.existsSync(serverFilePath(home))).toBe(true);
    removeServerFile(home, process.pid);
    expect(fs.existsSync(serverFilePath(home))).toBe(false);
  });
});
