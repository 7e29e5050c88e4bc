import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { pidsCgroupOrSkip } from '../../../test/fixtures/pidsCgroupOrSkip.js';
import { BASE_MOUNT_ARGS, isolationArgs } from './bwrapArgs.js';
import { SandboxUnavailableError } from './commandSpawner.js';
import { defaultBwrapPath } from './probeSandbox.js';
import { CommandCgroup, probeProcessLimiter } from './processLimit.js';
import {
  AUDIT_ARCH,
  BPF,
  ENOSYS,
  EPERM,
  HOST_ABIS,
  SECCOMP_DATA,
  SECCOMP_RET,
  SOCK_FILTER_SIZE,
  X32_SYSCALL_BIT,
  seccompFilterBytes,
  seccompFilterFile,
  seccompProgram,
  seccompUnsupportedReason,
  withSeccompFilter,
  type SockFilter,
} from './seccompFilter.js';

const ALLOW = SECCOMP_RET.ALLOW;
const DENY = SECCOMP_RET.ERRNO | EPERM;
const NOSYS = SECCOMP_RET.ERRNO | ENOSYS;
const KILL = SECCOMP_RET.KILL_PROCESS;
const AF_UNIX = 1n;
const AF_INET = 2n;
const SOCK_STREAM = 1n;
const SOCK_DGRAM = 2n;
const SOCK_RAW = 3n;
const SOCK_SEQPACKET = 5n;
const SOCK_CLOEXEC = 0o2000000n;

/**
 * A classic-BPF interpreter for the instructions the generator uses, run on a `struct
 * seccomp_data` as the kernel lays it out: what the filter answers for one system call.
 */
function verdict(program: SockFilter[], call: { arch: number; nr: number; args?: bigint[] }): number {
  const data = Buffer.alloc(64);
  data.writeUInt32LE(call.nr >>> 0, SECCOMP_DATA.NR);
  data.writeUInt32LE(call.arch >>> 0, SECCOMP_DATA.ARCH);
  (call.args ?? []).forEach((arg, i) => data.writeBigUInt64LE(BigInt.asUintN(64, arg), 16 + 8 * i));
  let a = 0;
  let pc = 0;
  for (let steps = 0; steps <= program.length; steps++) {
    const insn = program[pc];
    if (!insn) throw new Error(`fell off the program at ${pc}`);
    const jump = (isTrue: boolean) => (pc += 1 + (isTrue ? insn.jt : insn.jf));
    switch (insn.code) {
      case BPF.LD_W_ABS:
        a = data.readUInt32LE(insn.k);
        pc += 1;
        break;
      case BPF.ALU_AND_K:
        a = (a & insn.k) >>> 0;
        pc += 1;
        break;
      case BPF.JEQ_K:
        jump(a === insn.k);
        break;
      case BPF.JGT_K:
        jump(a > insn.k);
        break;
      case BPF.JGE_K:
        jump(a >= insn.k);
        break;
      case BPF.JSET_K:
        jump((a & insn.k) !== 0);
        break;
      case BPF.RET_K:
        return insn.k;
      default:
        throw new Error(`unknown opcode ${insn.code}`);
    }
  }
  throw new Error('no return: the program loops');
}

const isJump = (code: number) => (code & 0x07) === 0x05;

describe('seccompProgram: structure', () => {
  const variants = [
    ['x64', false],
    ['x64', true],
    ['arm64', false],
    ['arm64', true],
  ] as const;

  it.each(variants)('%s (unix sockets allowed: %s): known opcodes, jumps in range, every path ends in a RET', (arch, allowsUnixSockets) => {
    const program = seccompProgram({ arch, allowsUnixSockets });
    const known = new Set<number>(Object.values(BPF));
    // Reachability from the first instruction: every path must end in a RET, never past the end.
    const reached = new Set<number>([0]);
    program.forEach((insn, i) => {
      expect(known.has(insn.code)).toBe(true);
      expect(insn.k).toBeGreaterThanOrEqual(0);
      expect(insn.k).toBeLessThanOrEqual(0xffffffff);
      if (!reached.has(i)) return;
      if (insn.code === BPF.RET_K) return;
      const next = isJump(insn.code) ? [i + 1 + insn.jt, i + 1 + insn.jf] : [i + 1];
      if (!isJump(insn.code)) expect([insn.jt, insn.jf]).toEqual([0, 0]);
      for (const target of next) {
        expect(target).toBeLessThan(program.length);
        reached.add(target);
      }
    });
    // Nothing dead either: each instruction is on some path.
    expect([...reached].sort((x, y) => x - y)).toEqual(program.map((_, i) => i));
    expect(program.at(-1)?.code).toBe(BPF.RET_K);
    // Loads read whole words inside struct seccomp_data (64 bytes).
    for (const insn of program.filter((i) => i.code === BPF.LD_W_ABS)) expect(insn.k % 4 === 0 && insn.k < 64).toBe(true);
    // The arch is looked at before anything else.
    expect(program[0]).toEqual({ code: BPF.LD_W_ABS, jt: 0, jf: 0, k: SECCOMP_DATA.ARCH });
  });

  it('serializes as struct sock_filter: 8 bytes each, little-endian', () => {
    const program = seccompProgram({ arch: 'x64' });
    const bytes = seccompFilterBytes({ arch: 'x64' });
    expect(bytes.length).toBe(program.length * SOCK_FILTER_SIZE);
    program.forEach((insn, i) => {
      const at = i * SOCK_FILTER_SIZE;
      expect({ code: bytes.readUInt16LE(at), jt: bytes[at + 2], jf: bytes[at + 3], k: bytes.readUInt32LE(at + 4) }).toEqual(insn);
    });
    // Deterministic: the host writes it once per process, and every process writes the same.
    expect(seccompFilterBytes({ arch: 'x64' }).equals(bytes)).toBe(true);
    expect(seccompFilterBytes({ arch: 'x64', allowsUnixSockets: true }).equals(bytes)).toBe(false);
  });

  it('refuses an architecture it has no syscall table for, with a reason', () => {
    expect(() => seccompProgram({ arch: 'riscv64' })).toThrow(/riscv64/);
    expect(seccompUnsupportedReason('riscv64')).toMatch(/^sandbox unavailable: no seccomp filter for this CPU architecture \(riscv64/);
    expect(seccompUnsupportedReason('x64')).toBeNull();
    expect(seccompUnsupportedReason('arm64')).toBeNull();
  });
});

describe('seccompProgram: verdicts', () => {
  const x64 = seccompProgram({ arch: 'x64' });
  const arm64 = seccompProgram({ arch: 'arm64' });

  it('x86_64: no unix socket, stream and seqpacket pairs only, io_uring ENOSYS, everything else allowed', () => {
    const call = (nr: number, ...args: bigint[]) => verdict(x64, { arch: AUDIT_ARCH.X86_64, nr, args });
    expect(call(41, AF_UNIX, SOCK_STREAM)).toBe(DENY);
    expect(call(41, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC)).toBe(DENY);
    // The kernel reads an int: high bits do not make AF_UNIX something else...
    expect(call(41, AF_UNIX | (1n << 32n), SOCK_STREAM)).toBe(DENY);
    // ...and a domain whose low word is not AF_UNIX is not AF_UNIX to the kernel either.
    expect(call(41, 1n << 32n, SOCK_STREAM)).toBe(ALLOW);
    expect(call(41, AF_INET, SOCK_STREAM)).toBe(ALLOW);
    expect(call(53, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC)).toBe(ALLOW);
    expect(call(53, AF_UNIX, SOCK_SEQPACKET)).toBe(ALLOW);
    expect(call(53, AF_UNIX, SOCK_SEQPACKET | (1n << 32n))).toBe(ALLOW);
    expect(call(53, AF_UNIX, SOCK_DGRAM)).toBe(DENY);
    expect(call(53, AF_UNIX, SOCK_DGRAM | (SOCK_STREAM << 32n))).toBe(DENY);
    // Unix sockets treat SOCK_RAW as datagram; 4 (RDM) and unknown types are refused as well.
    expect(call(53, AF_UNIX, SOCK_RAW)).toBe(DENY);
    expect(call(53, AF_UNIX, 4n)).toBe(DENY);
    expect(call(53, AF_INET, SOCK_DGRAM)).toBe(ALLOW);
    for (const nr of [425, 426, 427]) expect(call(nr)).toBe(NOSYS);
    for (const nr of [0, 1, 42, 59, 102, 359, 424, 428, 435]) expect(call(nr, AF_UNIX, SOCK_DGRAM)).toBe(ALLOW);
  });

  it('x86_64 host: the x32 ABI and unknown archs are killed; the i386 entry is filtered by its own numbers', () => {
    expect(verdict(x64, { arch: AUDIT_ARCH.X86_64, nr: X32_SYSCALL_BIT | 41, args: [AF_INET] })).toBe(KILL);
    expect(verdict(x64, { arch: AUDIT_ARCH.X86_64, nr: X32_SYSCALL_BIT | 0 })).toBe(KILL);
    for (const arch of [AUDIT_ARCH.AARCH64, AUDIT_ARCH.ARM, 0, 0xffffffff]) expect(verdict(x64, { arch, nr: 0 })).toBe(KILL);
    const i386 = (nr: number, ...args: bigint[]) => verdict(x64, { arch: AUDIT_ARCH.I386, nr, args });
    expect(i386(102, 1n, 0x1000n)).toBe(DENY);
    expect(i386(359, AF_UNIX, SOCK_STREAM)).toBe(DENY);
    expect(i386(359, AF_INET, SOCK_STREAM)).toBe(ALLOW);
    expect(i386(360, AF_UNIX, SOCK_DGRAM)).toBe(DENY);
    expect(i386(360, AF_UNIX, SOCK_STREAM)).toBe(ALLOW);
    for (const nr of [425, 426, 427]) expect(i386(nr)).toBe(NOSYS);
    // 41 and 53 are dup and pipe on i386: not sockets.
    expect(i386(41, AF_UNIX)).toBe(ALLOW);
    expect(i386(53, AF_UNIX, SOCK_DGRAM)).toBe(ALLOW);
  });

  it('arm64 host: aarch64 and 32-bit ARM numbers, any other arch killed', () => {
    const native = (nr: number, ...args: bigint[]) => verdict(arm64, { arch: AUDIT_ARCH.AARCH64, nr, args });
    expect(native(198, AF_UNIX, SOCK_STREAM)).toBe(DENY);
    expect(native(198, AF_INET, SOCK_STREAM)).toBe(ALLOW);
    expect(native(199, AF_UNIX, SOCK_DGRAM)).toBe(DENY);
    expect(native(199, AF_UNIX, SOCK_STREAM)).toBe(ALLOW);
    for (const nr of [425, 426, 427]) expect(native(nr)).toBe(NOSYS);
    expect(native(41, AF_UNIX, SOCK_DGRAM)).toBe(ALLOW);
    const arm = (nr: number, ...args: bigint[]) => verdict(arm64, { arch: AUDIT_ARCH.ARM, nr, args });
    expect(arm(281, AF_UNIX, SOCK_STREAM)).toBe(DENY);
    expect(arm(288, AF_UNIX, SOCK_DGRAM)).toBe(DENY);
    expect(arm(288, AF_UNIX, SOCK_SEQPACKET)).toBe(ALLOW);
    expect(arm(102)).toBe(DENY);
    expect(arm(425)).toBe(NOSYS);
    expect(arm(198, AF_UNIX)).toBe(ALLOW);
    for (const arch of [AUDIT_ARCH.X86_64, AUDIT_ARCH.I386]) expect(verdict(arm64, { arch, nr: 0 })).toBe(KILL);
  });

  it('with allowlisted sockets: unix sockets and datagram pairs allowed, io_uring and foreign ABIs still refused', () => {
    for (const [arch, abis] of [['x64', HOST_ABIS.x64], ['arm64', HOST_ABIS.arm64]] as const) {
      const program = seccompProgram({ arch, allowsUnixSockets: true });
      for (const abi of abis ?? []) {
        const call = (nr: number, ...args: bigint[]) => verdict(program, { arch: abi.auditArch, nr, args });
        expect(call(abi.socket, AF_UNIX, SOCK_STREAM)).toBe(ALLOW);
        expect(call(abi.socketpair, AF_UNIX, SOCK_DGRAM)).toBe(ALLOW);
        if (abi.socketcall !== undefined) expect(call(abi.socketcall, 1n)).toBe(ALLOW);
        expect(call(abi.ioUringFirst)).toBe(NOSYS);
        expect(call(abi.ioUringLast)).toBe(NOSYS);
      }
    }
    const x64Open = seccompProgram({ arch: 'x64', allowsUnixSockets: true });
    expect(verdict(x64Open, { arch: AUDIT_ARCH.X86_64, nr: X32_SYSCALL_BIT | 41 })).toBe(KILL);
    expect(verdict(x64Open, { arch: AUDIT_ARCH.AARCH64, nr: 0 })).toBe(KILL);
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-seccomp-test-')));
  dirs.push(dir);
  return dir;
}
function taskSpec(overrides: { unixSockets?: string[]; extraWritablePaths?: string[] } = {}) {
  const root = tempDir();
  return { worktreePath: path.join(root, 'wt'), homeDir: path.join(root, 'home'), extraWritablePaths: [], ...overrides };
}

/** Where this platform has no seccomp filter, the tests that need one are reported skipped with why. */
function skipWithoutSeccomp(ctx: TestContext): void {
  const reason = seccompUnsupportedReason();
  if (reason !== null) ctx.skip(reason);
}

describe('seccompFilterFile', () => {
  beforeEach(skipWithoutSeccomp);

  it('writes each variant once, in a folder only this user can use, and rewrites a removed file', () => {
    const strict = seccompFilterFile(taskSpec());
    const open = seccompFilterFile(taskSpec({ unixSockets: ['/run/docker.sock'] }));
    expect(strict).not.toBe(open);
    expect(fs.readFileSync(strict).equals(seccompFilterBytes())).toBe(true);
    expect(fs.readFileSync(open).equals(seccompFilterBytes({ allowsUnixSockets: true }))).toBe(true);
    const dir = fs.lstatSync(path.dirname(strict));
    expect(dir.isDirectory()).toBe(true);
    expect(dir.mode & 0o777).toBe(0o700);
    expect(dir.uid).toBe(process.getuid?.());
    expect(fs.statSync(strict).mode & 0o077).toBe(0);
    // Once per process: the same path, not rewritten...
    const mtime = fs.statSync(strict).mtimeMs;
    expect(seccompFilterFile(taskSpec())).toBe(strict);
    expect(fs.statSync(strict).mtimeMs).toBe(mtime);
    // ...unless a temp cleaner removed it.
    fs.rmSync(strict);
    expect(seccompFilterFile(taskSpec())).toBe(strict);
    expect(fs.readFileSync(strict).equals(seccompFilterBytes())).toBe(true);
  });

  it('does not use a shared folder others can write to: a private one is made instead', () => {
    const shared = path.dirname(seccompFilterFile(taskSpec()));
    fs.chmodSync(shared, 0o777);
    let fallback: string | undefined;
    try {
      const file = seccompFilterFile(taskSpec());
      fallback = path.dirname(file);
      expect(fallback).not.toBe(shared);
      expect(fs.lstatSync(fallback).mode & 0o077).toBe(0);
      expect(fs.readFileSync(file).equals(seccompFilterBytes())).toBe(true);
    } finally {
      fs.chmodSync(shared, 0o700);
      // Gone, the next call goes back to the shared folder.
      if (fallback) dirs.push(fallback);
    }
  });

  it('refuses to start when a writable path of the task covers the folder (the task could rewrite the filter)', () => {
    const spec = taskSpec({ extraWritablePaths: [os.tmpdir()] });
    expect(() => seccompFilterFile(spec)).toThrow(SandboxUnavailableError);
    expect(() => seccompFilterFile(spec)).toThrow(/seccomp filter's folder .* is inside .*, which this task may write/);
  });

  it('launches `bwrap --seccomp 3 …` through a shell that opens the file on fd 3', () => {
    const spec = taskSpec();
    const launch = withSeccompFilter(spec, '/usr/bin/bwrap', ['--unshare-user', '--', 'true']);
    expect(launch).toEqual({
      file: '/bin/sh',
      args: ['-c', 'exec 3<"$0" && exec "$@"', seccompFilterFile(spec), '/usr/bin/bwrap', '--seccomp', '3', '--unshare-user', '--', 'true'],
    });
  });

  it("with a cgroup, the same shell joins it first (one shell, not a cgroup launcher exec'ing this one)", () => {
    const spec = taskSpec();
    const cgroup = { dir: '/sys/fs/cgroup/pids/flotilla-1-1-00000000', joinScript: (dirRef: string) => `echo 0 > ${dirRef}/tasks || exit 125` };
    const launch = withSeccompFilter(spec, '/usr/bin/bwrap', ['--unshare-user', '--', 'true'], { cgroup });
    expect(launch).toEqual({
      file: '/bin/sh',
      args: [
        '-c',
        'echo 0 > "$1"/tasks || exit 125; shift; exec 3<"$0" && exec "$@"',
        seccompFilterFile(spec),
        cgroup.dir,
        '/usr/bin/bwrap',
        '--seccomp',
        '3',
        '--unshare-user',
        '--',
        'true',
      ],
    });
  });
});

/** Runs `command` in a bare bwrap under the filter of `spec` (and in `cgroup`); resolves with its output and exit code. */
function runFilteredWithCode(spec: ReturnType<typeof taskSpec>, command: string, cgroup?: CommandCgroup): Promise<{ output: string; code: number | null }> {
  const launch = withSeccompFilter(spec, defaultBwrapPath(), [...isolationArgs(false), ...BASE_MOUNT_ARGS, '--', '/bin/sh', '-c', command], { cgroup });
  return new Promise((resolve, reject) => {
    const child = spawn(launch.file, launch.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ output, code }));
  });
}

async function runFiltered(spec: ReturnType<typeof taskSpec>, command: string, cgroup?: CommandCgroup): Promise<string> {
  return (await runFilteredWithCode(spec, command, cgroup)).output;
}

const PROBE = [
  'import socket, ctypes, errno',
  'def probe(name, make):',
  '    try:',
  '        make()',
  '        print(name, "ok")',
  '    except OSError as e:',
  '        print(name, errno.errorcode[e.errno])',
  'probe("unix", lambda: socket.socket(socket.AF_UNIX))',
  'probe("pair", lambda: socket.socketpair())',
  'probe("dgram pair", lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM))',
  'libc = ctypes.CDLL(None, use_errno=True)',
  'r = libc.syscall(425, 1, ctypes.create_string_buffer(120))',
  'print("io_uring", "fd" if r >= 0 else errno.errorcode[ctypes.get_errno()])',
].join('\n');

describe('the filter under bwrap, for real', () => {
  beforeEach((ctx) => {
    skipWithoutSeccomp(ctx);
    if (!fs.existsSync('/usr/bin/python3')) ctx.skip('the probe needs /usr/bin/python3');
  });

  it('strict: EPERM for unix sockets and datagram pairs, stream pairs work, ENOSYS for io_uring', async () => {
    expect(await runFiltered(taskSpec(), `/usr/bin/python3 -c '${PROBE}'`)).toBe('unix EPERM\npair ok\ndgram pair EPERM\nio_uring ENOSYS\n');
  });

  it('with allowlisted sockets: unix sockets allowed, io_uring still ENOSYS', async () => {
    expect(await runFiltered(taskSpec({ unixSockets: ['/run/docker.sock'] }), `/usr/bin/python3 -c '${PROBE}'`)).toBe('unix ok\npair ok\ndgram pair ok\nio_uring ENOSYS\n');
  });
});

describe('the launcher that also joins a cgroup, for real', async () => {
  const limiter = await probeProcessLimiter();
  beforeEach(skipWithoutSeccomp);

  it('filters the command and counts it (bwrap included) against the cap from the start', async (ctx) => {
    const parentDir = pidsCgroupOrSkip(limiter, ctx);
    // bwrap (1), its pid 1 in the sandbox (2) and the command's shell (3) fit a cap of 5 with
    // two sleeps; the third fork fails. The sleeps die with the sandbox's pid namespace.
    const group = await CommandCgroup.create(parentDir, 5);
    try {
      const probe = fs.existsSync('/usr/bin/python3') ? `/usr/bin/python3 -c '${PROBE}'; ` : '';
      const output = await runFiltered(taskSpec(), `${probe}for i in 1 2 3; do sleep 30 > /dev/null 2>&1 & done`, group);
      if (probe !== '') expect(output).toContain('unix EPERM\npair ok\ndgram pair EPERM\nio_uring ENOSYS\n');
      expect(output).toMatch(/Cannot fork|Resource temporarily unavailable/);
    } finally {
      await group.release();
    }
  });

  it('exits 125 and never starts bwrap when the cgroup cannot be joined', async () => {
    const spec = taskSpec();
    const marker = path.join(tempDir(), 'ran');
    const gone = CommandCgroup.at(path.join(tempDir(), 'no-such-cgroup'));
    const { code } = await runFilteredWithCode(spec, `touch '${marker}'`, gone);
    expect(code).toBe(125);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
