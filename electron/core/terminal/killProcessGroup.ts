/**
 * Signals the process group led by `pid` (a pty's program is a session and group leader, so
 * this reaches everything it started in the foreground, and `sh -c 'a | b'` pipelines).
 * Returns false when there was nothing left to signal.
 */
export function killProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    // ESRCH: the group is already gone. Fall back to the leader alone, in case it left its group.
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}
