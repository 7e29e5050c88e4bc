import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_POLICY,
  SandboxPolicySchema,
  describePolicy,
  type SandboxPolicy,
} from './sandboxPolicy.js';

describe('SandboxPolicySchema', () => {
  it('accepts the default policy: workspace-write, no network, approval on-request, 10 min', () => {
    expect(SandboxPolicySchema.parse(DEFAULT_SANDBOX_POLICY)).toEqual({
      mode: 'workspace-write',
      allowNetwork: false,
      approval: 'on-request',
      commandTimeoutMs: 600_000,
      extraWritablePaths: [],
    });
  });

  it('refuses unknown modes and approvals, and non-positive timeouts', () => {
    expect(SandboxPolicySchema.safeParse({ ...DEFAULT_SANDBOX_POLICY, mode: 'yolo' }).success).toBe(false);
    expect(SandboxPolicySchema.safeParse({ ...DEFAULT_SANDBOX_POLICY, approval: 'always' }).success).toBe(false);
    expect(SandboxPolicySchema.safeParse({ ...DEFAULT_SANDBOX_POLICY, commandTimeoutMs: 0 }).success).toBe(false);
    expect(SandboxPolicySchema.safeParse({ ...DEFAULT_SANDBOX_POLICY, commandTimeoutMs: 1.5 }).success).toBe(false);
  });

  it('keeps the default from being changed in place', () => {
    expect(Object.isFrozen(DEFAULT_SANDBOX_POLICY)).toBe(true);
  });
});

describe('describePolicy', () => {
  const policy = (overrides: Partial<SandboxPolicy>): SandboxPolicy => ({ ...DEFAULT_SANDBOX_POLICY, ...overrides });

  it.each<[Partial<SandboxPolicy>, string]>([
    [{}, 'workspace-write · no network · approval on-request'],
    [{ mode: 'read-only', approval: 'untrusted' }, 'read-only · no network · approval untrusted'],
    [{ allowNetwork: true, approval: 'never' }, 'workspace-write · network · approval never'],
    // No sandbox: the network is there whatever the flag says, and the line must not pretend otherwise.
    [{ mode: 'full-access', allowNetwork: false }, 'full-access (no sandbox) · network · approval on-request'],
    [{ extraWritablePaths: ['/a'] }, 'workspace-write · no network · approval on-request · +1 writable path'],
    [{ extraWritablePaths: ['/a', '/b'], commandTimeoutMs: 30_000 }, 'workspace-write · no network · approval on-request · +2 writable paths · 30 s per command'],
    [{ commandTimeoutMs: 1_200_000 }, 'workspace-write · no network · approval on-request · 20 min per command'],
  ])('%j → %s', (overrides, line) => {
    expect(describePolicy(policy(overrides))).toBe(line);
  });
});
