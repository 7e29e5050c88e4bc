import { describe, expect, it } from 'vitest';
import { methods } from '../../../../shared/contract.js';
import { DEFAULT_SANDBOX_POLICY } from '../../../../shared/model/sandboxPolicy.js';
import {
  APPROVAL_OPTIONS,
  DEFAULT_POLICY_CHOICE,
  MODE_OPTIONS,
  effectiveNetwork,
  policyBlocker,
  policyCreateInput,
  withMode,
} from './policyChoices.js';

describe('policy choices', () => {
  it('start at the host’s defaults, which come first in each select', () => {
    expect(DEFAULT_POLICY_CHOICE).toMatchObject({
      mode: DEFAULT_SANDBOX_POLICY.mode,
      allowNetwork: false,
      approval: DEFAULT_SANDBOX_POLICY.approval,
    });
    expect(MODE_OPTIONS[0]?.value).toBe(DEFAULT_SANDBOX_POLICY.mode);
    expect(APPROVAL_OPTIONS[0]?.value).toBe(DEFAULT_SANDBOX_POLICY.approval);
    expect(MODE_OPTIONS.map((o) => o.label)).toEqual(['Workspace write (default)', 'Read only', 'Full access — no sandbox']);
  });

  it('send exactly what the dialog shows, and the host accepts it', () => {
    const input = policyCreateInput({ ...DEFAULT_POLICY_CHOICE, allowNetwork: true, approval: 'never' });
    expect(input).toEqual({ sandbox: 'workspace-write', allowNetwork: true, approval: 'never' });
    const parsed = methods['tasks.create'].input.parse({ repo: 'r1', prompt: 'p', ...input });
    expect(parsed).toMatchObject(input);
  });

  it('full access has network, and needs a confirmation before Create', () => {
    const full = withMode(DEFAULT_POLICY_CHOICE, 'full-access');
    expect(effectiveNetwork(full)).toBe(true);
    expect(policyCreateInput(full).allowNetwork).toBe(true);
    expect(policyBlocker(full)).toMatch(/confirm/);
    expect(policyBlocker({ ...full, isFullAccessConfirmed: true })).toBeNull();
    expect(policyBlocker(DEFAULT_POLICY_CHOICE)).toBeNull();
  });

  it('forget the confirmation when the mode changes away and back', () => {
    const confirmed = { ...withMode(DEFAULT_POLICY_CHOICE, 'full-access'), isFullAccessConfirmed: true };
    expect(withMode(confirmed, 'full-access').isFullAccessConfirmed).toBe(true);
    const away = withMode(confirmed, 'read-only');
    expect(away.isFullAccessConfirmed).toBe(false);
    expect(withMode(away, 'full-access').isFullAccessConfirmed).toBe(false);
  });
});
