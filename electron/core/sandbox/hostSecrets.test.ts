import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostSocketPaths, secretPaths } from './hostSecrets.js';

describe('secretPaths', () => {
  it('lists the credential paths under $HOME', () => {
    const paths = secretPaths({ HOME: '/home/me' });
    for (const entry of ['.ssh', '.aws', '.config/gh', '.netrc', '.git-credentials', '.docker', '.kube', '.gnupg', '.npmrc']) {
      expect(paths).toContain(path.join('/home/me', entry));
    }
  });
});

describe('hostSocketPaths', () => {
  it('finds the agent, docker and session-bus sockets the host advertises', () => {
    const paths = hostSocketPaths({
      SSH_AUTH_SOCK: '/home/me/.1password/agent.sock',
      XDG_RUNTIME_DIR: '/run/user/1000',
      DOCKER_HOST: 'unix:///home/me/.colima/docker.sock',
      DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-x,guid=1;unix:path=/home/me/bus%20sock,guid=2',
    });
    expect(paths).toEqual(['/home/me/.1password/agent.sock', '/run/user/1000', '/home/me/.colima/docker.sock', '/home/me/bus sock']);
  });

  it('ignores relative paths and non-unix docker hosts', () => {
    expect(hostSocketPaths({ SSH_AUTH_SOCK: 'agent.sock', DOCKER_HOST: 'tcp://1.2.3.4:2375' })).toEqual([]);
  });
});
