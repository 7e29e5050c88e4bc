import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxUnavailableError } from './commandSpawner.js';
import type { CommandCgroup } from './processLimit.js';
import type { SandboxSpec } from './sandboxSpec.js';
import { canonicalPath } from '../util/canonicalPath.js';

/**
 * Linux: the seccomp filter every bwrap sandbox gets (`bwrap --seccomp 3`), written here as a
 * classic-BPF program (no libseccomp, no native code).
 *
 * Why: a read-only bind does not stop `connect()` on a unix socket, and a command with network
 * on shares the host's network namespace, where every abstract socket (X11, D-Bus, ...) lives.
 * Hiding folders cannot cover every socket; refusing to create AF_UNIX sockets does. So:
 *
 * - `socket(AF_UNIX, ...)` fails with EPERM ("Operation not permitted");
 * - `socketpair(AF_UNIX, ...)` keeps working for SOCK_STREAM and SOCK_SEQPACKET (pipes between
 *   a program and its children: libuv makes child stdio with it), but SOCK_DGRAM (and SOCK_RAW,
 *   which unix sockets treat as datagram) fail with EPERM: a datagram socket can `sendto()` any
 *   path or abstract address, connected or not;
 * - i386 `socketcall` fails with EPERM: its arguments sit in user memory, which a filter cannot read;
 * - io_uring (setup, enter, register) fails with ENOSYS, as on a kernel without it, so libuv
 *   and Node fall back to threads: io_uring can create sockets (IORING_OP_SOCKET) without
 *   going through the filtered calls;
 * - a whole ABI the filter does not inspect (x32 on x86_64, any unexpected audit arch) kills the
 *   process (SIGSYS): an errno on every call, exit included, would leave it spinning.
 *
 * When the spec allowlists host sockets (`unixSockets`), the AF_UNIX rules are left out (a
 * filter sees numbers, never paths, so it cannot tell the allowed socket from the others); io_uring
 * stays refused. Only the listed sockets are then bound into the hidden folders (bwrapArgs.ts).
 */

/** The fd bwrap reads the filter from: after stdin, stdout and stderr. */
export const SECCOMP_FD = 3;
/**
 * Put before the rest of bwrap's options by withSeccompFilter and the probe. Without the fd open
 * (or with an empty or invalid filter) bwrap refuses to start: it never runs the command unfiltered.
 */
export const SECCOMP_BWRAP_ARGS: readonly string[] = ['--seccomp', String(SECCOMP_FD)];

/** One classic-BPF instruction: `struct sock_filter` { u16 code; u8 jt; u8 jf; u32 k }. */
export interface SockFilter {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** Bytes per `struct sock_filter`. */
export const SOCK_FILTER_SIZE = 8;

// Classic BPF opcodes (linux/filter.h, linux/bpf_common.h).
export const BPF = {
  /** A = 32-bit word at offset k of seccomp_data. */
  LD_W_ABS: 0x20,
  /** A &= k. */
  ALU_AND_K: 0x54,
  JEQ_K: 0x15,
  JGT_K: 0x25,
  JGE_K: 0x35,
  JSET_K: 0x45,
  RET_K: 0x06,
} as const;

// linux/seccomp.h
export const SECCOMP_RET = {
  KILL_PROCESS: 0x80000000,
  ERRNO: 0x00050000,
  ALLOW: 0x7fff0000,
} as const;
export const EPERM = 1;
export const ENOSYS = 38;

/** `struct seccomp_data` offsets: nr (int), arch (u32), instruction_pointer (u64), args[6] (u64). */
export const SECCOMP_DATA = {
  NR: 0,
  ARCH: 4,
  /**
   * The low 32-bit word of args[i], on a little-endian host. The kernel truncates `int` arguments
   * (domain, type) to it, so the high word is ignored: comparing all 64 bits would let
   * `socket(AF_UNIX | 1 << 32, ...)` through.
   */
  argLow: (i: number) => 16 + 8 * i,
} as const;

// linux/audit.h: EM_* | __AUDIT_ARCH_64BIT (0x80000000) | __AUDIT_ARCH_LE (0x40000000).
export const AUDIT_ARCH = {
  X86_64: 0xc000003e,
  I386: 0x40000003,
  AARCH64: 0xc00000b7,
  ARM: 0x40000028,
} as const;

/** x86_64 syscall numbers with this bit are the x32 ABI (asm/unistd.h __X32_SYSCALL_BIT). */
export const X32_SYSCALL_BIT = 0x40000000;
const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_SEQPACKET = 5;
/** SOCK_TYPE_MASK: the kernel strips SOCK_NONBLOCK and SOCK_CLOEXEC from `type` with it. */
const SOCK_TYPE_MASK = 0xf;

/** The calls the filter looks at, in one ABI (numbers from the kernel's syscall tables). */
export interface AbiSyscalls {
  name: string;
  auditArch: number;
  socket: number;
  socketpair: number;
  /** i386 and 32-bit ARM: the multiplexer whose arguments cannot be read; refused whole. */
  socketcall?: number;
  /** io_uring_setup; enter and register follow it (425, 426, 427 on every arch here). */
  ioUringFirst: number;
  ioUringLast: number;
  /** x86_64: numbers with this bit set are another ABI (x32), refused whole. */
  foreignBit?: number;
}

/**
 * The ABIs a process can use on each supported host: the native one first, then the 32-bit
 * compat one (a 64-bit program can still enter it, e.g. `int 0x80` on x86_64). Numbers checked
 * against asm/unistd_64.h, unistd_32.h and unistd_x32.h (x86), asm-generic/unistd.h (arm64) and
 * arch/arm/tools/syscall.tbl (arm).
 */
export const HOST_ABIS: Partial<Record<NodeJS.Architecture, readonly AbiSyscalls[]>> = {
  x64: [
    { name: 'x86_64', auditArch: AUDIT_ARCH.X86_64, socket: 41, socketpair: 53, ioUringFirst: 425, ioUringLast: 427, foreignBit: X32_SYSCALL_BIT },
    { name: 'i386', auditArch: AUDIT_ARCH.I386, socket: 359, socketpair: 360, socketcall: 102, ioUringFirst: 425, ioUringLast: 427 },
  ],
  arm64: [
    { name: 'aarch64', auditArch: AUDIT_ARCH.AARCH64, socket: 198, socketpair: 199, ioUringFirst: 425, ioUringLast: 427 },
    // 102 is socketcall in the OABI table only; arm64 runs EABI, where it is unimplemented: refusing it costs nothing.
    { name: 'arm', auditArch: AUDIT_ARCH.ARM, socket: 281, socketpair: 288, socketcall: 102, ioUringFirst: 425, ioUringLast: 427 },
  ],
};

export interface SeccompFilterOptions {
  /** Default process.arch: the host whose ABIs the filter covers. */
  arch?: NodeJS.Architecture;
  /** The spec allowlists host sockets: leave out the AF_UNIX rules (io_uring stays refused). */
  allowsUnixSockets?: boolean;
}

/** Why commands cannot get the filter on this host, or null when they can. */
export function seccompUnsupportedReason(arch: NodeJS.Architecture = process.arch): string | null {
  if (!HOST_ABIS[arch]) {
    return `sandbox unavailable: no seccomp filter for this CPU architecture (${arch}; supported: x64, arm64), and commands never run without it`;
  }
  // Every offset above assumes a little-endian seccomp_data (both supported hosts are).
  if (os.endianness() !== 'LE') return 'sandbox unavailable: the seccomp filter assumes a little-endian host';
  return null;
}

type Label = 'allow' | 'eperm' | 'enosys' | 'kill' | 'socket' | 'socketpair' | `abi${number}`;
/** A jump target: a label further down, or `next` (the following instruction). */
type Target = Label | 'next';
type Line =
  | { kind: 'label'; name: Label }
  | { kind: 'insn'; code: number; k: number; jt?: Target; jf?: Target };

/** The filter for this host as instructions. Throws on an unsupported arch (see seccompUnsupportedReason). */
export function seccompProgram(opts: SeccompFilterOptions = {}): SockFilter[] {
  const arch = opts.arch ?? process.arch;
  const abis = HOST_ABIS[arch];
  if (!abis) throw new Error(seccompUnsupportedReason(arch) ?? `no seccomp filter for ${arch}`);
  const refusesUnix = !opts.allowsUnixSockets;
  const lines: Line[] = [];
  const op = (code: number, k: number, jt?: Target, jf?: Target) => lines.push({ kind: 'insn', code, k, jt, jf });
  const label = (name: Label) => lines.push({ kind: 'label', name });

  op(BPF.LD_W_ABS, SECCOMP_DATA.ARCH);
  abis.forEach((abi, i) => {
    if (i > 0) label(`abi${i}`);
    // The last ABI's mismatch is an arch we never expect here: kill.
    const otherArch: Target = i + 1 < abis.length ? `abi${i + 1}` : 'kill';
    op(BPF.JEQ_K, abi.auditArch, 'next', otherArch);
    op(BPF.LD_W_ABS, SECCOMP_DATA.NR);
    if (abi.foreignBit !== undefined) op(BPF.JSET_K, abi.foreignBit, 'kill', 'next');
    if (refusesUnix) {
      if (abi.socketcall !== undefined) op(BPF.JEQ_K, abi.socketcall, 'eperm', 'next');
      op(BPF.JEQ_K, abi.socket, 'socket', 'next');
      op(BPF.JEQ_K, abi.socketpair, 'socketpair', 'next');
    }
    op(BPF.JGE_K, abi.ioUringFirst, 'next', 'allow');
    op(BPF.JGT_K, abi.ioUringLast, 'allow', 'enosys');
  });
  if (refusesUnix) {
    // Shared by every ABI: the arguments sit at the same offsets whatever the arch.
    label('socket');
    op(BPF.LD_W_ABS, SECCOMP_DATA.argLow(0));
    op(BPF.JEQ_K, AF_UNIX, 'eperm', 'allow');
    label('socketpair');
    op(BPF.LD_W_ABS, SECCOMP_DATA.argLow(0));
    // Any other family: the kernel has no socketpair for it, or it is no unix socket.
    op(BPF.JEQ_K, AF_UNIX, 'next', 'allow');
    op(BPF.LD_W_ABS, SECCOMP_DATA.argLow(1));
    op(BPF.ALU_AND_K, SOCK_TYPE_MASK);
    // An allowlist of types: anything else (datagram, raw, future types) is refused.
    op(BPF.JEQ_K, SOCK_STREAM, 'allow', 'next');
    op(BPF.JEQ_K, SOCK_SEQPACKET, 'allow', 'eperm');
  }
  label('allow');
  op(BPF.RET_K, SECCOMP_RET.ALLOW);
  if (refusesUnix) {
    label('eperm');
    op(BPF.RET_K, SECCOMP_RET.ERRNO | EPERM);
  }
  label('enosys');
  op(BPF.RET_K, SECCOMP_RET.ERRNO | ENOSYS);
  label('kill');
  op(BPF.RET_K, SECCOMP_RET.KILL_PROCESS);
  return assemble(lines);
}

/** Resolves labels into relative jumps: classic BPF only jumps forward, by at most 255 instructions. */
function assemble(lines: Line[]): SockFilter[] {
  const at = new Map<Label, number>();
  let count = 0;
  for (const line of lines) {
    if (line.kind === 'label') at.set(line.name, count);
    else count += 1;
  }
  const program: SockFilter[] = [];
  for (const line of lines) {
    if (line.kind === 'label') continue;
    const index = program.length;
    const offset = (target: Target | undefined): number => {
      if (target === undefined || target === 'next') return 0;
      const destination = at.get(target);
      if (destination === undefined) throw new Error(`seccomp filter: no label ${target}`);
      const jump = destination - index - 1;
      if (jump < 0 || jump > 255) throw new Error(`seccomp filter: jump to ${target} out of range (${jump})`);
      return jump;
    };
    program.push({ code: line.code, jt: offset(line.jt), jf: offset(line.jf), k: line.k >>> 0 });
  }
  return program;
}

/** The program as bwrap reads it: `struct sock_filter` after `struct sock_filter`, little-endian. */
export function seccompFilterBytes(opts: SeccompFilterOptions = {}): Buffer {
  const program = seccompProgram(opts);
  const bytes = Buffer.alloc(program.length * SOCK_FILTER_SIZE);
  program.forEach((insn, i) => {
    const at = i * SOCK_FILTER_SIZE;
    bytes.writeUInt16LE(insn.code, at);
    bytes.writeUInt8(insn.jt, at + 2);
    bytes.writeUInt8(insn.jf, at + 3);
    bytes.writeUInt32LE(insn.k, at + 4);
  });
  return bytes;
}

/** Whether commands of `spec` may create unix sockets (the user allowlisted host sockets for it). */
export function allowsUnixSockets(spec: Pick<SandboxSpec, 'unixSockets'>): boolean {
  return (spec.unixSockets?.length ?? 0) > 0;
}

/** Written files of this process, by variant; see seccompFilterFile. */
const written = new Map<string, string>();
let privateDir: string | null = null;

/**
 * The filter for this host as a file, written once per process and variant (the content is
 * deterministic), in a folder only this user can write: `<tmpdir>/flotilla-seccomp-<uid>`, mode
 * 0700, checked before use (a folder another local user made, or a symlink, is not used; a fresh
 * private one is made instead). The file is looked at again before every launch and rewritten
 * if a temp cleaner removed it.
 *
 * Never somewhere the command could change it: inside the sandbox the host's /tmp is replaced
 * by a private one; if a writable path of the spec (an approval) covers the folder anyway, the
 * sandbox refuses to start rather than let a task rewrite the next commands' filter.
 */
export function seccompFilterFile(spec: Pick<SandboxSpec, 'unixSockets' | 'worktreePath' | 'homeDir' | 'extraWritablePaths'>): string {
  const variant = allowsUnixSockets(spec) ? 'unix-allowed' : 'no-unix';
  let file = written.get(variant);
  if (file === undefined || !isIntactFile(file)) {
    const bytes = seccompFilterBytes({ allowsUnixSockets: variant === 'unix-allowed' });
    const digest = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    file = path.join(filterDir(), `${process.arch}-${variant}-${digest}.bpf`);
    writeAtomically(file, bytes);
    written.set(variant, file);
  }
  const dir = path.dirname(file);
  for (const writable of [spec.worktreePath, spec.homeDir, ...spec.extraWritablePaths]) {
    const real = canonicalPath(writable);
    if (dir === real || dir.startsWith(`${real}/`)) {
      throw new SandboxUnavailableError(
        `sandbox unavailable: the seccomp filter's folder ${dir} is inside ${writable}, which this task may write; ` +
          'remove that writable path, or point TMPDIR elsewhere',
      );
    }
  }
  return file;
}

/**
 * The launch that runs `bwrap --seccomp 3 <bwrapArgv>` with the filter on fd 3: a shell opens
 * the file, then becomes bwrap (same pid, so process-group kills and the pty's exit still reach
 * it). One shape for every spawner: node-pty cannot pass extra fds, a shell redirection can. If
 * the file cannot be opened the shell exits (code 2) and bwrap never runs. bwrap closes the fd
 * once read: the command does not inherit it.
 *
 * With `cgroup`, that same shell first joins the command's cgroup (exit 125 when it cannot, and
 * nothing runs), so the process cap counts bwrap from its start. One shell rather than a cgroup
 * launcher exec'ing this one: an exec of /bin/sh fewer per command, ~1 ms here.
 */
export function withSeccompFilter(
  spec: Pick<SandboxSpec, 'unixSockets' | 'worktreePath' | 'homeDir' | 'extraWritablePaths'>,
  bwrapPath: string,
  bwrapArgv: readonly string[],
  opts: { cgroup?: Pick<CommandCgroup, 'dir' | 'joinScript'> } = {},
): { file: string; args: string[] } {
  const filterFile = seccompFilterFile(spec);
  const bwrap = [bwrapPath, ...SECCOMP_BWRAP_ARGS, ...bwrapArgv];
  const openFilter = `exec ${SECCOMP_FD}<"$0" && exec "$@"`;
  if (!opts.cgroup) return { file: '/bin/sh', args: ['-c', openFilter, filterFile, ...bwrap] };
  // $0 the filter, $1 the cgroup; `shift` leaves bwrap's argv in "$@".
  return { file: '/bin/sh', args: ['-c', `${opts.cgroup.joinScript('"$1"')}; shift; ${openFilter}`, filterFile, opts.cgroup.dir, ...bwrap] };
}

function filterDir(): string {
  if (privateDir !== null && isPrivateDir(privateDir)) return privateDir;
  const shared = path.join(fs.realpathSync(os.tmpdir()), `flotilla-seccomp-${process.getuid?.() ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(shared, { mode: 0o700 });
  } catch {
    // Already there (or not creatable): the check below decides.
  }
  privateDir = isPrivateDir(shared) ? shared : fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'flotilla-seccomp-'));
  return privateDir;
}

/** A real directory (not a link) of ours that nobody else can write to or list. */
function isPrivateDir(dir: string): boolean {
  try {
    const stat = fs.lstatSync(dir);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

function isIntactFile(file: string): boolean {
  try {
    const stat = fs.lstatSync(file);
    return stat.isFile() && isPrivateDir(path.dirname(file));
  } catch {
    return false;
  }
}

/** Write then rename: a concurrent reader (another process of ours) never sees half a filter. */
function writeAtomically(file: string, bytes: Buffer): void {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temp, bytes, { mode: 0o600, flag: 'wx' });
  fs.renameSync(temp, file);
}
