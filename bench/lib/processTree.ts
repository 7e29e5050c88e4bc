import fs from 'node:fs';

/** One process under a root, as Linux's /proc shows it. */
export interface TreeProcess {
  pid: number;
  ppid: number;
  /** 0 for the root, 1 for its children, 2 for grandchildren… */
  depth: number;
  /** Resident set size in KiB (VmRSS); 0 for a zombie or a process that just ended. */
  rssKb: number;
  /** argv joined by spaces ('' when unreadable). */
  command: string;
}

/**
 * The process `rootPid` and all its descendants, read from /proc (Linux only). Processes
 * that end while we read are skipped; a root that is gone gives [].
 */
export function processTree(rootPid: number): TreeProcess[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(Number(entry));
    if (ppid === null) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const tree: TreeProcess[] = [];
  const visit = (pid: number, ppid: number, depth: number) => {
    const rssKb = rssKbOf(pid);
    if (rssKb === null) return;
    tree.push({ pid, ppid, depth, rssKb, command: commandOf(pid) });
    for (const child of children.get(pid) ?? []) visit(child, pid, depth + 1);
  };
  visit(rootPid, parentOf(rootPid) ?? 0, 0);
  return tree;
}

/** VmRSS of `pid` in KiB; 0 for a zombie (no VmRSS line), null when the process is gone. */
export function rssKbOf(pid: number): number | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] ? Number(match[1]) : 0;
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stateOf(stat) !== 'Z';
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

function stateOf(stat: string): string {
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** Memory of one process from /proc/PID/smaps_rollup, in KiB. */
export interface MemoryKb {
  rss: number;
  /** Proportional set size: shared pages (the node binary, libraries) divided among the processes that map them. */
  pss: number;
  /** Anonymous pages (heaps, stacks): memory the process really owns, apart from copy-on-write sharing. */
  anonymous: number;
}

/** null when the process is gone or the file unreadable. */
export function memoryOf(pid: number): MemoryKb | null {
  let rollup: string;
  try {
    rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return null;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(rollup)?.[1] ?? NaN);
  return { rss: field('Rss'), pss: field('Pss'), anonymous: field('Anonymous') };
}
