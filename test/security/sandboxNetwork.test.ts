import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';
import { runSandboxed } from '../../electron/core/sandbox/runSandboxed.js';

/** SECURITY.md promises 7 and 8: no network by default, no host services over unix sockets. */
let world: SandboxWorld;
let restoreEnv: () => void;
let tcp: Listener;
let agentSocket: Listener;
let ownSocket: Listener;
let agentSocketPath: string;

interface Listener {
  server: net.Server;
  connections: number;
}

function listen(target: { port: number; host: string } | string): Promise<Listener> {
  const listener: Listener = { server: net.createServer(), connections: 0 };
  listener.server.on('connection', (socket) => {
    listener.connections += 1;
    socket.end('hello from the host\n');
  });
  return new Promise((resolve) => listener.server.listen(target, () => resolve(listener)));
}

function close(listener: Listener | undefined): Promise<void> {
  return new Promise((resolve) => (listener ? listener.server.close(() => resolve()) : resolve()));
}

const q = (p: string) => `'${p.replaceAll("'", `'\\''`)}'`;
/** Node is already on the host; inside the sandbox it connects to a unix socket (nc/socat may be missing). */
const connectWithNode = (socketPath: string) =>
  `${q(process.execPath)} -e ${q(
    `const c = require('net').connect(process.argv[1]); c.on('data', (d) => { process.stdout.write('GOT ' + d); c.destroy(); }); c.on('error', (e) => { console.log('ERR ' + e.code); process.exitCode = 1; });`,
  )} ${q(socketPath)}`;

beforeAll(async () => {
  world = await makeSandboxWorld();
  tcp = await listen({ port: 0, host: '127.0.0.1' });
  // In a visible folder, like ~/.1password/agent.sock: read-only mounts do not stop connect().
  agentSocketPath = path.join(world.root, 'agent.sock');
  agentSocket = await listen(agentSocketPath);
  ownSocket = await listen(path.join(world.worktree, 'dev-server.sock'));
  restoreEnv = overrideEnv({ HOME: world.userHome, SSH_AUTH_SOCK: agentSocketPath });
});

afterAll(async () => {
  restoreEnv();
  await Promise.all([close(tcp), close(agentSocket), close(ownSocket)]);
  world.dispose();
});

function tcpPort(): number {
  const address = tcp.server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  return address.port;
}

describe('the sandbox network', () => {
  it("cannot reach a server on the host's loopback, and fails fast", async () => {
    const before = tcp.connections;
    const result = await world.run(`exec 3<>/dev/tcp/127.0.0.1/${tcpPort()} && echo CONNECTED && head -1 <&3`);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).not.toContain('CONNECTED');
    expect(result.durationMs).toBeLessThan(5_000);
    expect(tcp.connections).toBe(before);
  });

  it('cannot reach any outside address either', async () => {
    const result = await world.run('exec 3<>/dev/tcp/1.1.1.1/80 && echo CONNECTED');
    expect(result.exitCode).not.toBe(0);
    expect(result.output).not.toContain('CONNECTED');
    expect(result.durationMs).toBeLessThan(5_000);
  });

  const hasCurl = (() => {
    try {
      execFileSync('sh', ['-c', 'command -v curl'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasCurl)('makes curl to loopback fail', async () => {
    const before = tcp.connections;
    const result = await world.run(`curl -sS --max-time 3 http://127.0.0.1:${tcpPort()}/ && echo CONNECTED`);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).not.toContain('CONNECTED');
    expect(tcp.connections).toBe(before);
  });

  it('reaches the loopback server when the spec allows the network (control: the probe above can succeed)', async () => {
    const before = tcp.connections;
    const result = await runSandboxed({ ...world.spec, allowNetwork: true }, `exec 3<>/dev/tcp/127.0.0.1/${tcpPort()} && head -1 <&3`, {
      hiddenPaths: world.hiddenPaths,
    });
    expect(result.output).toContain('hello from the host');
    expect(tcp.connections).toBe(before + 1);
  });

  it('cannot connect to a host unix socket advertised in the environment (an ssh agent)', async () => {
    const result = await world.run(connectWithNode(agentSocketPath));
    expect(result.output).toContain('ERR');
    expect(result.output).not.toContain('hello from the host');
    expect(agentSocket.connections).toBe(0);
    // The host can, so the socket was alive all along.
    expect(fs.statSync(agentSocketPath).isSocket()).toBe(true);
  });

  it('cannot see /run, where docker, D-Bus and the per-user agents keep their sockets', async () => {
    const result = await world.run('ls -A /run /var/run; echo end');
    expect(result.output.replace(/\/(var\/)?run:\n/g, '').trim()).toBe('end');
  });

  // Unix sockets are refused by default, even in the worktree (sandboxUnixSockets.test.ts): the allowlist is the way in.
  it('connects to an allowlisted socket inside its own worktree (control: the client can connect)', async () => {
    const socketPath = path.join(world.worktree, 'dev-server.sock');
    const result = await runSandboxed({ ...world.spec, unixSockets: [socketPath] }, connectWithNode(socketPath), { hiddenPaths: world.hiddenPaths });
    expect(result.output).toContain('GOT hello from the host');
    expect(ownSocket.connections).toBe(1);
  });
});
