import fs from 'node:fs/promises';

/**
 * What reading a file the agent could have written gave. The worktree is the agent's: it may be
 * a symbolic link to a secret, a FIFO that would block a reader for ever, or a folder.
 */
export type AgentFileRead =
  | { kind: 'ok'; data: Buffer; size: number }
  | { kind: 'missing' }
  | { kind: 'not_regular' }
  | { kind: 'too_big'; size: number }
  | { kind: 'unreadable'; message: string };

/**
 * Reads a regular file without following a link in its last component (O_NOFOLLOW) and without
 * waiting on a FIFO (O_NONBLOCK), at most `maxBytes`: a bigger file is `too_big`, or with
 * `isPrefixEnough` its first `maxBytes` are returned (`size` says how big it is).
 */
export async function readAgentFile(file: string, opts: { maxBytes: number; isPrefixEnough?: boolean }): Promise<AgentFileRead> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: the last component is a link.
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'not_regular' };
    return { kind: 'unreadable', message: (error as Error).message };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { kind: 'not_regular' };
    if (stat.size > opts.maxBytes && !opts.isPrefixEnough) return { kind: 'too_big', size: stat.size };
    const buffer = Buffer.alloc(Math.max(0, Math.min(stat.size, opts.maxBytes)));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { kind: 'ok', data: buffer.subarray(0, bytesRead), size: stat.size };
  } finally {
    await handle.close();
  }
}
