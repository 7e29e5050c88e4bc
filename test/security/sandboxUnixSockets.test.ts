import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CommandPtyBridge } from '../../electron/core/agent/commandPtyBridge.js';
import { PtyCommands } from '../../electron/core/agent/ptyCommands.js';
import { bwrapArgs } from '../../electron/core/sandbox/bwrapArgs.js';
import { defaultBwrapPath } from '../../electron/core/sandbox/probeSandbox.js';
import { runSandboxed, type CommandResult } from '../../electron/core/sandbox/runSandboxed.js';
import type { SandboxSpec } from '../../electron/core/sandbox/sandboxSpec.js';
import { withSeccompFilter } from '../../electron/core/sandbox/seccompFilter.js';
import { AgentTerminals } from '../../electron/core/tasks/agentTerminals.js';
import { TerminalService } from '../../electron/core/terminal/terminalService.js';
import { waitFor } from '../../electron/core/terminal/testTerminals.js';
import { makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';

/**
 * SECURITY.md promise 15: AF_UNIX sockets of the host, path and abstract, are unreachable even
 * with network on. A read-only bind does not stop `connect()`, and with network on the sandbox
 * shares the host's abstract namespace (X11, D-Bus); so the sandbox refuses to create unix
 * sockets at all (seccomp), keeps socketpair for pipes, and refuses io_uring, which could make
 * sockets around the filter. Each attack here succeeded before that filter.
 */
let world: SandboxWorld;
let restoreEnv: () => void;
/** In <root>, which the world re-binds read-only: visible to the command, like ~/.1password/agent.sock. */
let visible: Listener;
let visiblePath: string;
/** In the host's abstract namespace: reachable from any process sharing the network namespace. */
let abstract: Listener;
let abstractName: string;

interface Listener {
  server: net.Server;
  connections: number;
}

function listen(target: string): Promise<Listener> {
  const listener: Listener = { server: net.createServer(), connections: 0 };
  listener.server.on('connection', (socket) => {
    listener.connections += 1;
    socket.end('hello from the host\n');
  });
  return new Promise((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(target, () => resolve(listener));
  });
}

function close(listener: Listener | undefined): Promise<void> {
  return new Promise((resolve) => (listener ? listener.server.close(() => resolve()) : resolve()));
}

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
/** node is /usr/bin/node, visible in the sandbox. A leading '@' names an abstract socket (argv cannot carry a NUL). */
const connectWithNode = (target: string) =>
  `/usr/bin/node -e ${q(
    `const t = process.argv[1]; const c = require('net').connect(t.startsWith('@') ? '\\0' + t.slice(1) : t);` +
      ` c.on('data', (d) => { process.stdout.write('GOT ' + d); c.destroy(); }); c.on('error', (e) => { console.log('ERR ' + e.code); process.exitCode = 1; });`,
  )} ${q(target)}`;
const python = (script: string) => `/usr/bin/python3 -c ${q(script)}`;

/** What `socket(AF_UNIX)` and friends answer, one line each: "name: ok" or "name: <strerror>". */
const SOCKET_PROBES = python(
  [
    'import socket',
    'def probe(name, make):',
    '    try:',
    '        s = make()',
    '        print(name + ": ok")',
    '    except OSError as e:',
    '        print(name + ": " + e.strerror)',
    "probe('unix stream', lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))",
    "probe('unix dgram', lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM))",
    "probe('inet stream', lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))",
    "probe('pair dgram', lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM))",
  ].join('\n'),
);

/** io_uring_setup(1, &params) through libc: "io_uring: <errno name>", or "io_uring: fd" when it worked. */
const IO_URING_PROBE = python(
  [
    'import ctypes, errno',
    'libc = ctypes.CDLL(None, use_errno=True)',
    'params = ctypes.create_string_buffer(120)',
    'r = libc.syscall(425, 1, params)',
    "print('io_uring: ' + ('fd' if r >= 0 else errno.errorcode[ctypes.get_errno()]))",
  ].join('\n'),
);

beforeAll(async () => {
  world = await makeSandboxWorld();
  restoreEnv = overrideEnv({ HOME: world.userHome });
  visiblePath = path.join(world.root, 'service.sock');
  visible = await listen(visiblePath);
  abstractName = `flotilla-test-${crypto.randomBytes(6).toString('hex')}`;
  abstract = await listen(`\0${abstractName}`);
});

afterAll(async () => {
  restoreEnv();
  await Promise.all([close(visible), close(abstract)]);
  world.dispose();
});

describe('host unix sockets', () => {
  it('cannot connect to a path socket in a folder it can see (read-only binds do not stop connect)', async () => {
    expect(fs.statSync(visiblePath).isSocket()).toBe(true);
    const result = await world.run(`test -S ${q(visiblePath)} && echo VISIBLE; ${connectWithNode(visiblePath)}`);
    // Visible, so the refusal below comes from the filter, not from a hidden folder.
    expect(result.output).toContain('VISIBLE');
    expect(result.output).toContain('ERR EPERM');
    expect(result.output).not.toContain('hello from the host');
    expect(visible.connections).toBe(0);
  });

  it('with network on, cannot reach an abstract socket of the host', async () => {
    const result = await runSandboxed({ ...world.spec, allowNetwork: true }, connectWithNode(`@${abstractName}`), { hiddenPaths: world.hiddenPaths, timeoutMs: 30_000 });
    expect(result.output).toContain('ERR EPERM');
    expect(result.output).not.toContain('hello from the host');
    expect(abstract.connections).toBe(0);
    // The host can, so the socket was alive all along.
    const reply = await new Promise<string>((resolve, reject) => {
      const client = net.connect(`\0${abstractName}`);
      client.on('data', (data) => resolve(data.toString()));
      client.on('error', reject);
    });
    expect(reply).toBe('hello from the host\n');
    abstract.connections = 0;
  });

  it('cannot create any AF_UNIX socket, nor a datagram socketpair (which could sendto() any address): Operation not permitted', async () => {
    const result = await world.run(SOCKET_PROBES);
    expect(result.output).toBe(['unix stream: Operation not permitted', 'unix dgram: Operation not permitted', 'inet stream: ok', 'pair dgram: Operation not permitted', ''].join('\n'));
  });

  it('keeps stream and seqpacket socketpairs, child processes on pipes, and node itself working', async () => {
    const pairs = python(
      [
        'import socket',
        'for kind in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET):',
        '    a, b = socket.socketpair(socket.AF_UNIX, kind)',
        "    a.sendall(b'ping')",
        "    print(kind.name, b.recv(4).decode())",
      ].join('\n'),
    );
    // libuv makes a child's stdio pipes with socketpair(AF_UNIX, SOCK_STREAM); fs and timers use its thread pool.
    const node = `/usr/bin/node -e ${q(
      `const { execFileSync } = require('child_process'); const out = execFileSync('/bin/echo', ['child ok']).toString().trim();` +
        ` require('fs').promises.readFile('/etc/hostname').then(() => setTimeout(() => console.log(out + ', fs ok, timers ok'), 10));`,
    )}`;
    const result = await world.run(`${pairs} && ${node}`);
    expect(result.output).toBe('SOCK_STREAM ping\nSOCK_SEQPACKET ping\nchild ok, fs ok, timers ok\n');
    expect(result.exitCode).toBe(0);
  });

  it('refuses io_uring with ENOSYS (it can create sockets around the filter)', async () => {
    expect((await world.run(IO_URING_PROBE)).output).toBe('io_uring: ENOSYS\n');
  });

  it.runIf(process.arch === 'x64')('refuses the same calls through the i386 entry (int 0x80), and kills an x32 call', async () => {
    // A 64-bit process can still enter the 32-bit syscall table; seccomp then sees AUDIT_ARCH_I386.
    // Machine code in a MAP_32BIT page (socketcall's argument block must have a 32-bit address).
    const script = [
      'import ctypes, mmap, struct, sys',
      'mem = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | 0x40, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)',
      'base = ctypes.addressof(ctypes.c_char.from_buffer(mem))',
      'data = base + 2048',
      'def run(code):',
      '    mem.seek(0); mem.write(code)',
      '    return ctypes.CFUNCTYPE(ctypes.c_int)(base)()',
      'def i386(nr, a, b):',
      "    # push rbx; mov eax, nr; mov ebx, a; mov ecx, b; xor edx, edx; int 0x80; pop rbx; ret",
      "    return run(b'\\x53\\xb8' + struct.pack('<I', nr) + b'\\xbb' + struct.pack('<I', a) + b'\\xb9' + struct.pack('<I', b) + b'\\x31\\xd2\\xcd\\x80\\x5b\\xc3')",
      'def x32(nr, a, b):',
      "    # mov eax, nr; mov edi, a; mov esi, b; xor edx, edx; syscall; ret",
      "    return run(b'\\xb8' + struct.pack('<I', nr) + b'\\xbf' + struct.pack('<I', a) + b'\\xbe' + struct.pack('<I', b) + b'\\x31\\xd2\\x0f\\x05\\xc3')",
      "print('i386 getpid', 'ok' if i386(20, 0, 0) > 0 else 'failed')",
      "print('i386 socket', i386(359, 1, 1))",
      "print('i386 socketpair', i386(360, 1, 2))",
      'ctypes.memmove(data, struct.pack("<III", 1, 1, 0), 12)',
      "print('i386 socketcall', i386(102, 1, data))",
      'ctypes.memset(data, 0, 120)',
      "print('i386 io_uring', i386(425, 1, data))",
      'sys.stdout.flush()',
      "print('x32 socket', x32(0x40000000 + 41, 1, 1))",
    ].join('\n');
    // In a subshell whose stderr is dropped: it reports the SIGSYS with the whole script.
    const result = await world.run(`(${python(script)}; echo "exit $?") 2>/dev/null`);
    // -EPERM for the socket calls (a datagram pair included), -ENOSYS for io_uring; the x32
    // call never returns: SIGSYS kills python (128 + 31).
    expect(result.output).toBe(
      ['i386 getpid ok', 'i386 socket -1', 'i386 socketpair -1', 'i386 socketcall -1', 'i386 io_uring -38', 'exit 159', ''].join('\n'),
    );
  });

  it('runs under the filter, whose fd the command does not inherit (bwrap closes it)', async () => {
    const result = await world.run('grep ^Seccomp: /proc/self/status; ls -l /proc/self/fd/');
    expect(result.output).toMatch(/^Seccomp:\s+2\n/);
    expect(result.output).not.toMatch(/seccomp|\.bpf/);
  });
});

describe('allowlisted host sockets (unixSockets)', () => {
  it('connects to a listed socket; io_uring stays refused', async () => {
    const spec: SandboxSpec = { ...world.spec, unixSockets: [visiblePath] };
    const before = visible.connections;
    const result = await runSandboxed(spec, `${connectWithNode(visiblePath)}; ${IO_URING_PROBE}`, { hiddenPaths: world.hiddenPaths, timeoutMs: 30_000 });
    expect(result.output).toBe('GOT hello from the host\nio_uring: ENOSYS\n');
    expect(visible.connections).toBe(before + 1);
    visible.connections = before;
  });

  it('binds a listed socket into a hidden folder (FLOTILLA_HOME), and nothing else of it', async () => {
    const hiddenSocketPath = path.join(world.flotillaHome, 'daemon.sock');
    const hiddenSocket = await listen(hiddenSocketPath);
    try {
      const spec: SandboxSpec = { ...world.spec, unixSockets: [hiddenSocketPath] };
      const command = `ls -A ${q(world.flotillaHome)}; ${connectWithNode(hiddenSocketPath)}`;
      const result = await runSandboxed(spec, command, { hiddenPaths: world.hiddenPaths, timeoutMs: 30_000 });
      expect(result.output).toBe('daemon.sock\ntask-homes\nworktrees\nGOT hello from the host\n');
      expect(hiddenSocket.connections).toBe(1);
    } finally {
      await close(hiddenSocket);
    }
  });

  it('a listed socket the host advertises (SSH_AUTH_SOCK, DOCKER_HOST) is shown: the user chose it', async () => {
    const restore = overrideEnv({ SSH_AUTH_SOCK: visiblePath });
    try {
      const before = visible.connections;
      const unlisted = await world.run(`test -S ${q(visiblePath)} && echo SOCKET || echo HIDDEN`);
      expect(unlisted.output).toBe('HIDDEN\n');
      const listed = await runSandboxed({ ...world.spec, unixSockets: [visiblePath] }, connectWithNode(visiblePath), { hiddenPaths: world.hiddenPaths, timeoutMs: 30_000 });
      expect(listed.output).toBe('GOT hello from the host\n');
      expect(visible.connections).toBe(before + 1);
      visible.connections = before;
    } finally {
      restore();
    }
  });

  // Root can make a socket under the real /run; elsewhere the case cannot be set up.
  const canWriteRun = (() => {
    try {
      fs.accessSync('/run', fs.constants.W_OK);
      return true;
    } catch {
      return false;
    }
  })();
  it('binds a listed socket into the hidden /run, and nothing else of /run', async (ctx) => {
    if (!canWriteRun) ctx.skip('cannot make a socket under the real /run here (only root can)');
    const runSocketPath = path.join('/run', `flotilla-test-${crypto.randomBytes(6).toString('hex')}.sock`);
    const runSocket = await listen(runSocketPath);
    try {
      const spec: SandboxSpec = { ...world.spec, unixSockets: [runSocketPath, path.join(world.root, 'no-such.sock'), world.userHome] };
      const result = await runSandboxed(spec, `ls -A /run /var/run; ${connectWithNode(`/var/run/${path.basename(runSocketPath)}`)}`, {
        hiddenPaths: world.hiddenPaths,
        timeoutMs: 30_000,
      });
      const name = path.basename(runSocketPath);
      expect(result.output).toContain('GOT hello from the host');
      expect(runSocket.connections).toBe(1);
      // /run shows the one socket; a missing path and a folder in the list are not bound.
      expect(result.output).toMatch(new RegExp(`^/run:\\n${name}\\n\\n/var/run:\\n${name}\\n`));
    } finally {
      await close(runSocket);
    }
  });
});

describe('on a pty', () => {
  let service: TerminalService | undefined;
  let bridge: CommandPtyBridge | undefined;

  afterEach(() => {
    bridge?.dispose();
    service?.dispose();
  });

  it('an agent command run through the pty spawner gets the filter too', async () => {
    service = new TerminalService();
    const agentTerminals = new AgentTerminals({ service });
    // setImmediate: like IPC, each message arrives in a later turn of the event loop.
    const worker: PtyCommands = new PtyCommands({ send: (message) => setImmediate(() => bridge?.handle(message)) });
    bridge = new CommandPtyBridge({ host: agentTerminals.commandPtys('task-sockets'), send: (message) => setImmediate(() => worker.handle(message)) });
    const before = visible.connections;
    const result: CommandResult = await runSandboxed(world.spec, `test -t 1 && echo ON-A-PTY; ${connectWithNode(visiblePath)}; ${SOCKET_PROBES}; ${IO_URING_PROBE}`, {
      hiddenPaths: world.hiddenPaths,
      timeoutMs: 30_000,
      spawner: worker.spawner('call_1'),
    });
    expect(result.output).toBe(
      [
        'ON-A-PTY',
        'ERR EPERM',
        'unix stream: Operation not permitted',
        'unix dgram: Operation not permitted',
        'inet stream: ok',
        'pair dgram: Operation not permitted',
        'io_uring: ENOSYS',
        '',
      ].join('\n'),
    );
    expect(visible.connections).toBe(before);
  });

  it("an interactive terminal's launch (bwrap on its own pty, as TaskTerminals builds it) gets the filter too", async () => {
    service = new TerminalService();
    const before = visible.connections;
    const report = path.join(world.worktree, 'terminal-report.txt');
    const command = `exec > ${q(report)} 2>&1; test -t 0 && echo ON-A-PTY; ${connectWithNode(visiblePath)}; ${IO_URING_PROBE}`;
    const args = bwrapArgs(world.spec, command, { hiddenPaths: world.hiddenPaths, hasOwnTerminal: true });
    const launch = withSeccompFilter(world.spec, defaultBwrapPath(), args);
    const opened = await service.open({ cwd: world.worktree, argv: [launch.file, ...launch.args], env: { PATH: '/usr/bin:/bin' }, cols: 80, rows: 24 });
    if (!opened.ok) throw new Error(opened.message);
    const sessionId = opened.session.sessionId;
    await waitFor('the terminal to exit', () => service?.get(sessionId)?.exit != null, 30_000);
    expect(fs.readFileSync(report, 'utf8')).toBe('ON-A-PTY\nERR EPERM\nio_uring: ENOSYS\n');
    expect(visible.connections).toBe(before);
  });
});
