import fs from 'node:fs';

/** USER_HZ: /proc counts CPU time in ticks of 1/100 s on every Linux we run on. */
const TICKS_PER_SECOND = 100;

/** CPU time `pid` has used so far (user + system), in seconds; null when it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * The scheduler's view of `pid`'s main thread (/proc/PID/schedstat), in ms: time on a CPU and
 * time runnable but waiting for one. For a Node process the main thread is the event loop, so
 * a large wait means its lag comes from a crowded machine, not from its own work.
 */
export function schedStatOf(pid: number): { onCpuMs: number; waitingMs: number } | null {
  try {
    const [onCpuNs, waitingNs] = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    if (onCpuNs === undefined || waitingNs === undefined) return null;
    return { onCpuMs: onCpuNs / 1e6, waitingMs: waitingNs / 1e6 };
  } catch {
    return null;
  }
}

/** Whole-machine CPU time so far (/proc/stat), in seconds summed over all cores: busy and total. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
}
