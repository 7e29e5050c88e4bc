import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidsCgroupOrSkip } from '../../../test/fixtures/pidsCgroupOrSkip.js';
import { CommandCgroup, pidsCgroupDirs, probeProcessLimiter, removeStaleCommandCgroups } from './processLimit.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake /proc/self with the given mountinfo and cgroup files. */
function fakeProc(mountinfo: string, cgroup: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-proc-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'mountinfo'), mountinfo);
  fs.writeFileSync(path.join(dir, 'cgroup'), cgroup);
  return dir;
}

const HYBRID_MOUNTINFO = [
  '25 30 0:23 / /sys rw,nosuid - sysfs sysfs rw',
  '33 25 0:28 / /sys/fs/cgroup/unified rw,relatime shared:10 - cgroup2 cgroup2 rw',
  '36 25 0:31 / /sys/fs/cgroup/pids rw,relatime shared:13 - cgroup cgroup rw,pids',
  '37 25 0:32 / /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory',
].join('\n');

describe('pidsCgroupDirs', () => {
  it('finds our own cgroup in the v1 pids hierarchy first, then in v2', () => {
    const proc = fakeProc(HYBRID_MOUNTINFO, '8:pids:/user.slice/app\n4:memory:/x\n0::/user.slice/app.scope\n');
    expect(pidsCgroupDirs(proc)).toEqual([
      { version: 1, dir: '/sys/fs/cgroup/pids/user.slice/app' },
      { version: 2, dir: '/sys/fs/cgroup/unified/user.slice/app.scope' },
    ]);
  });

  it('handles a mount whose root is a sub-cgroup (containers), and escaped spaces', () => {
    const mountinfo = '40 25 0:40 /docker/abc /sys/fs/cgroup\\040x rw - cgroup2 cgroup2 rw,nsdelegate';
    expect(pidsCgroupDirs(fakeProc(mountinfo, '0::/docker/abc/inner\n'))).toEqual([{ version: 2, dir: '/sys/fs/cgroup x/inner' }]);
    // Our cgroup outside what is mounted: nothing usable.
    expect(pidsCgroupDirs(fakeProc(mountinfo, '0::/elsewhere\n'))).toEqual([]);
  });

  it('finds nothing without cgroup mounts or /proc', () => {
    expect(pidsCgroupDirs(fakeProc('25 30 0:23 / /sys rw - sysfs sysfs rw', '0::/\n'))).toEqual([]);
    expect(pidsCgroupDirs(path.join(os.tmpdir(), 'no-such-proc'))).toEqual([]);
  });
});

describe('probeProcessLimiter', () => {
  const noCgroups = () => fakeProc('25 30 0:23 / /sys rw - sysfs sysfs rw', '0::/\n');

  it('falls back to an rlimit in the user namespace for a non-root user', async () => {
    expect(await probeProcessLimiter({ uid: 1000, procSelf: noCgroups() })).toEqual({ kind: 'rlimit' });
  });

  it('says precisely why there is no limit for root without a writable pids cgroup', async () => {
    const limiter = await probeProcessLimiter({ uid: 0, procSelf: noCgroups() });
    expect(limiter).toEqual({
      kind: 'none',
      reason: 'no process-count limit: running as root, where RLIMIT_NPROC does not apply, and no writable pids cgroup (no cgroup hierarchy with the pids controller is mounted)',
    });
  });

  it('names the cgroup it could not use', async () => {
    const proc = fakeProc('36 25 0:31 / /nonexistent/pids rw - cgroup cgroup rw,pids', '8:pids:/\n');
    const limiter = await probeProcessLimiter({ uid: 0, procSelf: proc });
    expect(limiter.kind).toBe('none');
    expect(limiter.kind === 'none' && limiter.reason).toContain('/nonexistent/pids: ');
  });
});

describe('CommandCgroup', async () => {
  const limiter = await probeProcessLimiter();
  it('caps, joins, kills what is left and removes itself', async (ctx) => {
    const parentDir = pidsCgroupOrSkip(limiter, ctx);
    const group = await CommandCgroup.create(parentDir, 16);
    expect(fs.readFileSync(path.join(group.dir, 'pids.max'), 'utf8').trim()).toBe('16');
    // A launched shell joins before it starts anything: its daemon is in the cgroup too.
    const launch = group.wrap('/bin/sh', ['-c', 'sleep 300 & echo $!']);
    const daemonPid = await new Promise<number>((resolve) => {
      const child = spawn(launch.file, launch.args, { stdio: ['ignore', 'pipe', 'ignore'] });
      child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    });
    expect(await group.pids()).toContain(daemonPid);
    await group.release();
    expect(fs.existsSync(group.dir)).toBe(false);
    expect(fs.existsSync(`/proc/${daemonPid}/cmdline`) && fs.readFileSync(`/proc/${daemonPid}/stat`, 'utf8').split(' ')[2] !== 'Z').toBe(false);
  });
});

describe('CommandCgroup.joinScript', () => {
  /** A directory standing in for a cgroup (`at` only looks at which files it has). */
  function fakeCgroup(files: string[]): CommandCgroup {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-cgroup-'));
    dirs.push(dir);
    for (const file of files) fs.writeFileSync(path.join(dir, file), '');
    return CommandCgroup.at(dir);
  }

  it('cgroup v1: moves the calling thread alone (`0` into tasks), which skips the global lock and its RCU grace period', () => {
    expect(fakeCgroup(['tasks', 'cgroup.procs', 'pids.max']).joinScript('"$1"')).toBe('echo 0 > "$1"/tasks || exit 125');
  });

  it('cgroup v2: moves the whole process (cgroup.procs), the only way into a domain cgroup', () => {
    expect(fakeCgroup(['cgroup.procs', 'cgroup.threads', 'pids.max']).joinScript('"$0"')).toBe('echo $$ > "$0"/cgroup.procs || exit 125');
  });

  it('exits 125 and runs nothing when the cgroup cannot be joined', async () => {
    const gone = CommandCgroup.at(path.join(os.tmpdir(), `flotilla-no-such-cgroup-${process.pid}`));
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-join-')), 'ran');
    dirs.push(path.dirname(marker));
    const launch = gone.wrap('/bin/sh', ['-c', `touch '${marker}'`]);
    const code = await new Promise<number | null>((resolve) => spawn(launch.file, launch.args, { stdio: 'ignore' }).on('close', resolve));
    expect(code).toBe(125);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('the launcher joins before it runs anything', async () => {
  const limiter = await probeProcessLimiter();
  it('counts the command from its first fork: a cap of 4 stops the fourth process', async (ctx) => {
    const parentDir = pidsCgroupOrSkip(limiter, ctx);
    const group = await CommandCgroup.create(parentDir, 4);
    try {
      // The launcher, which becomes this shell (1), and three sleeps (2-4) fit; the fourth is one too many.
      const launch = group.wrap('/bin/sh', ['-c', 'for i in 1 2 3 4; do sleep 30 > /dev/null 2>&1 & done']);
      const output = await new Promise<string>((resolve) => {
        const child = spawn(launch.file, launch.args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.stderr.on('data', (d: Buffer) => (text += d.toString()));
        child.on('close', () => resolve(text));
      });
      expect(output).toMatch(/Cannot fork|Resource temporarily unavailable/);
      // The three sleeps outlived the shell, inside; release() kills them.
      expect(await group.pids()).toHaveLength(3);
    } finally {
      await group.release();
    }
  });
});

describe('removeStaleCommandCgroups', async () => {
  const limiter = await probeProcessLimiter();
  it('removes (and empties) the cgroups of processes that are gone, never a live one', async (ctx) => {
    const parentDir = pidsCgroupOrSkip(limiter, ctx);
    const deadPid = await new Promise<number>((resolve) => {
      const child = spawn('/bin/true');
      child.on('exit', () => resolve(child.pid ?? 0));
    });
    // As a killed worker leaves it: a command cgroup named after its maker, a process inside.
    const stale = path.join(parentDir, `flotilla-${deadPid}-1-deadbeef`);
    fs.mkdirSync(stale);
    const orphan = spawn('/bin/sh', ['-c', `echo $$ > "${stale}/cgroup.procs" && exec sleep 300`], { stdio: 'ignore' });
    const orphanExit = new Promise((resolve) => orphan.on('exit', (_code, signal) => resolve(signal)));
    const live = await CommandCgroup.create(parentDir, 4);
    try {
      await waitFor(() => fs.readFileSync(path.join(stale, 'cgroup.procs'), 'utf8').trim() !== '');
      await removeStaleCommandCgroups(parentDir);
      expect(fs.existsSync(stale)).toBe(false);
      expect(await orphanExit).toBe('SIGKILL');
      expect(fs.existsSync(live.dir)).toBe(true);
    } finally {
      await live.release();
      await CommandCgroup.at(stale).release();
    }
  });

  it('never reuses a name, even for the same pid and sequence', async (ctx) => {
    const parentDir = pidsCgroupOrSkip(limiter, ctx);
    const a = await CommandCgroup.create(parentDir, 4);
    const b = await CommandCgroup.create(parentDir, 4);
    try {
      expect(path.basename(a.dir)).toMatch(new RegExp(`^flotilla-${process.pid}-\\d+-[0-9a-f]{8}$`));
      expect(a.dir).not.toBe(b.dir);
    } finally {
      await a.release();
      await b.release();
    }
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('processLimit off the host main thread’s critical path', () => {
  it('makes, limits, kills and removes cgroups with asynchronous calls only (cgroupfs writes can wait on kernel locks)', () => {
    const source = fs.readFileSync(new URL('./processLimit.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/\b(writeFileSync|mkdirSync|rmdirSync|rmSync|readdirSync)\(/);
  });
});
