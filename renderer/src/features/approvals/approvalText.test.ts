import { describe, expect, it } from 'vitest';
import { makeTask } from '../../testing/fixtures.js';
import {
  approvalSummary,
  askText,
  decisionState,
  decisionText,
  describeGrants,
  networkNotice,
  networkSourceOf,
  policyBadges,
  taskScopeText,
  wideningItems,
} from './approvalText.js';

const policy = (overrides: Partial<ReturnType<typeof makeTask>['policy']> = {}) => ({ ...makeTask().policy, ...overrides });
const grants = (overrides: Partial<ReturnType<typeof makeTask>['grants']> = {}) => ({ ...makeTask().grants, ...overrides });

describe('wideningItems and approvalSummary', () => {
  it('lists network and every path on its own line', () => {
    expect(wideningItems({ network: true, writablePaths: ['/home/me/.cache', '/srv/out'] })).toEqual([
      'network access',
      'writes to /home/me/.cache',
      'writes to /srv/out',
    ]);
    expect(wideningItems({ network: false, writablePaths: [] })).toEqual([]);
  });

  it('summarizes an escalation by what it widens, an untrusted command by what it is', () => {
    expect(approvalSummary({ kind: 'escalation', widening: { network: true, writablePaths: ['/tmp/x'] } })).toBe('network access, writes to /tmp/x');
    expect(approvalSummary({ kind: 'untrusted_command', widening: { network: false, writablePaths: [] } })).toBe('a command that may change things');
  });

  it('phrases the card’s line', () => {
    expect(askText({ kind: 'escalation', widening: { network: true, writablePaths: [] } })).toBe('Asks for network access');
    expect(askText({ kind: 'untrusted_command', widening: { network: false, writablePaths: [] } })).toBe('Wants to run a command that may change things');
  });

  it('says what "for this task" keeps allowed', () => {
    expect(taskScopeText({ kind: 'escalation', widening: { network: true, writablePaths: [] } })).toBe(
      'network access stays allowed, without asking, until the task ends',
    );
    expect(taskScopeText({ kind: 'untrusted_command', widening: { network: false, writablePaths: [] } })).toMatch(/this exact command/);
  });
});

describe('decisionText', () => {
  it('names each outcome, with the denial message when there is one', () => {
    expect(decisionText(null)).toBe('waiting for you');
    expect(decisionText({ decision: 'approve', scope: 'once', message: null })).toBe('approved once');
    expect(decisionText({ decision: 'approve', scope: 'task', message: null })).toBe('approved for this task');
    expect(decisionText({ decision: 'deny', scope: 'once', message: null })).toBe('denied');
    expect(decisionText({ decision: 'deny', scope: 'once', message: '  ' })).toBe('denied');
    expect(decisionText({ decision: 'deny', scope: 'once', message: 'use the cache' })).toBe('denied: “use the cache”');
    expect(decisionState(null)).toBe('waiting');
    expect(decisionState({ decision: 'deny', scope: 'once', message: null })).toBe('denied');
  });
});

describe('network', () => {
  it('knows where a task’s network comes from', () => {
    expect(networkSourceOf({ policy: policy(), grants: grants() })).toBe('none');
    expect(networkSourceOf({ policy: policy({ allowNetwork: true }), grants: grants() })).toBe('policy');
    expect(networkSourceOf({ policy: policy(), grants: grants({ network: true }) })).toBe('grant');
    // Full access has no network namespace, whatever allowNetwork says.
    expect(networkSourceOf({ policy: policy({ mode: 'full-access', allowNetwork: false }), grants: grants() })).toBe('no_sandbox');
  });

  it('says so plainly, or says nothing', () => {
    expect(networkNotice({ policy: policy(), grants: grants() })).toBeNull();
    expect(networkNotice({ policy: policy(), grants: grants({ network: true }) })).toBe(
      'This agent has network access: you approved it for this task.',
    );
  });
});

describe('describeGrants', () => {
  it('lists what was approved for the task, or null', () => {
    expect(describeGrants(grants())).toBeNull();
    expect(describeGrants(grants({ network: true, writablePaths: ['/a', '/b'], commands: ['make'] }))).toBe(
      'network access · writes to /a, /b · 1 command',
    );
    expect(describeGrants(grants({ commands: ['make', 'npm test'] }))).toBe('2 commands');
  });
});

describe('policyBadges', () => {
  const keys = (task: Parameters<typeof policyBadges>[0]) => policyBadges(task).map((b) => `${b.label}/${b.tone}`);

  it('shows nothing for the default policy', () => {
    expect(policyBadges(makeTask())).toEqual([]);
  });

  it('shows a red No sandbox for full access, and only that', () => {
    expect(keys({ policy: policy({ mode: 'full-access', allowNetwork: true }), grants: grants() })).toEqual(['No sandbox/danger']);
  });

  it('shows Network when the policy or a grant gives it, and Read only', () => {
    expect(keys({ policy: policy({ allowNetwork: true }), grants: grants() })).toEqual(['Network/attention']);
    expect(keys({ policy: policy({ mode: 'read-only' }), grants: grants({ network: true }) })).toEqual(['Read only/neutral', 'Network/attention']);
    expect(policyBadges({ policy: policy(), grants: grants({ network: true }) })[0]?.title).toMatch(/you approved it/);
  });
});
