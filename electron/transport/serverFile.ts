import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * `$FLOTILLA_HOME/server.json`: how CLI commands find the running headless host. It holds
 * the token, so it is written 0600 and only ever by the host that owns it.
 */
export const SERVER_FILE_NAME = 'server.json';

export const ServerInfoSchema = z.object({
  url: z.string().url(),
  port: z.number().int().min(1).max(65535),
  token: z.string().min(1),
  pid: z.number().int().positive(),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

export const NO_HOST_MESSAGE = 'no Flotilla host running (start one with `flotilla serve`)';

export type ServerLookup = { ok: true; info: ServerInfo } | { ok: false; message: string };
export type ServerClaim = { ok: true } | { ok: false; message: string };

export function serverFilePath(home: string): string {
  return path.join(home, SERVER_FILE_NAME);
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live host recorded in `home`, or why there is none. */
export function findRunningServer(home: string): ServerLookup {
  const raw = readJson(serverFilePath(home));
  if (raw === undefined) return { ok: false, message: NO_HOST_MESSAGE };
  const parsed = ServerInfoSchema.safeParse(raw);
  if (!parsed.success) {
    // A bare `{ pid }` is a host that has claimed the file and is still starting.
    const pid = pidOf(raw);
    if (pid !== undefined && isPidAlive(pid)) return { ok: false, message: `the Flotilla host (pid ${pid}) is still starting; try again in a moment` };
    return { ok: false, message: NO_HOST_MESSAGE };
  }
  if (!isPidAlive(parsed.data.pid)) return { ok: false, message: NO_HOST_MESSAGE };
  return { ok: true, info: parsed.data };
}

/**
 * Takes `server.json` for `pid` before the host starts, so two `serve` commands on one home
 * cannot both run (the exclusive create is the lock). A file left by a dead host is replaced.
 */
export function claimServerFile(home: string, pid: number): ServerClaim {
  const file = serverFilePath(home);
  // Write the claim aside, then hard-link it into place: the link fails if the file exists,
  // and a reader never sees it empty (an empty file would look stale and be taken over).
  const temp = `${file}.${pid}.claim`;
  fs.writeFileSync(temp, `${JSON.stringify({ pid })}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.linkSync(temp, file);
        return { ok: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          return { ok: false, message: `cannot write ${file}: ${(error as Error).message}` };
        }
      }
      const raw = readJson(file);
      const holder = pidOf(raw);
      if (holder !== undefined && holder !== pid && isPidAlive(holder)) {
        const info = ServerInfoSchema.safeParse(raw);
        const where = info.success ? ` at ${withoutToken(info.data.url)}` : '';
        return { ok: false, message: `another Flotilla host is already running on this data folder (pid ${holder}${where})` };
      }
      fs.rmSync(file, { force: true });
    }
    return { ok: false, message: `cannot take ${file}: another host keeps recreating it` };
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Replaces the claim with the full record; written whole (temp file + rename) so readers never see half. */
export function writeServerFile(home: string, info: ServerInfo): void {
  const file = serverFilePath(home);
  const temp = `${file}.${info.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  // The mode above applies only when the temp file is new; make sure of 0600 either way.
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}

/** Removes the file only if `pid` still owns it (a newer host may have replaced a stale one). */
export function removeServerFile(home: string, pid: number): void {
  const file = serverFilePath(home);
  if (pidOf(readJson(file)) === pid) fs.rmSync(file, { force: true });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function pidOf(raw: unknown): number | undefined {
  const parsed = z.object({ pid: z.number().int().positive() }).safeParse(raw);
  return parsed.success ? parsed.data.pid : undefined;
}

function withoutToken(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  return parsed.toString();
}
