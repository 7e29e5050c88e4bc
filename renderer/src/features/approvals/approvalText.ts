import type { ApprovalDecision, ApprovalRequest, TaskGrants, Widening } from '../../../../shared/model/approval.js';
import type { Task } from '../../../../shared/model/task.js';
import type { Tone } from '../../components/statusStyle.js';

/**
 * The words of the approval UI, kept out of the components so the exact phrasing (what is
 * asked, what was decided, who gave the network) is tested once and reads the same on the
 * card, in the panel, in the transcript and in notifications.
 */

/** Each thing a request would widen, one per line: "network access", "writes to /a". */
export function wideningItems(widening: Widening): string[] {
  const items: string[] = [];
  if (widening.network) items.push('network access');
  for (const path of widening.writablePaths) items.push(`writes to ${path}`);
  return items;
}

/** The panel's headline: what kind of question this is. */
export function approvalHeadline(request: Pick<ApprovalRequest, 'kind'>): string {
  return request.kind === 'escalation' ? 'The agent asks to go beyond its sandbox' : 'The agent wants to run a command that may change things';
}

/** The card's short line after "Approval needed": "network access", "writes to /a and network access"… */
export function approvalSummary(request: Pick<ApprovalRequest, 'kind' | 'widening'>): string {
  if (request.kind === 'untrusted_command') return 'a command that may change things';
  const items = wideningItems(request.widening);
  return items.length > 0 ? items.join(', ') : 'a command outside the rules';
}

/** The card's line under "Approval needed": "Asks for network access", "Wants to run a command that may change things". */
export function askText(request: Pick<ApprovalRequest, 'kind' | 'widening'>): string {
  return request.kind === 'escalation' ? `Asks for ${approvalSummary(request)}` : 'Wants to run a command that may change things';
}

/** What "Approve for this task" would keep granted, in words, for the button's explanation. */
export function taskScopeText(request: Pick<ApprovalRequest, 'kind' | 'widening'>): string {
  if (request.kind === 'untrusted_command') return 'this exact command runs without asking again until the task ends';
  const items = wideningItems(request.widening);
  const what = items.length > 0 ? items.join(' and ') : 'the same access';
  return `${what} stays allowed, without asking, until the task ends`;
}

export type DecisionState = 'waiting' | 'approved' | 'denied';

export function decisionState(decision: ApprovalDecision | null): DecisionState {
  if (decision === null) return 'waiting';
  return decision.decision === 'approve' ? 'approved' : 'denied';
}

/** "waiting for you", "approved once", "approved for this task", "denied: “use the cache”". */
export function decisionText(decision: ApprovalDecision | null): string {
  if (decision === null) return 'waiting for you';
  if (decision.decision === 'approve') return decision.scope === 'task' ? 'approved for this task' : 'approved once';
  const message = decision.message?.trim();
  return message ? `denied: “${message}”` : 'denied';
}

/**
 * Where a task's network comes from, if it has any:
 * - `no_sandbox`: full access, commands run as the user, network included;
 * - `policy`: allowed when the task was created;
 * - `grant`: the user approved network "for this task";
 * - `none`: commands get an empty network namespace.
 */
export type NetworkSource = 'none' | 'policy' | 'grant' | 'no_sandbox';

export function networkSourceOf(task: Pick<Task, 'policy' | 'grants'>): NetworkSource {
  if (task.policy.mode === 'full-access') return 'no_sandbox';
  if (task.policy.allowNetwork) return 'policy';
  return task.grants.network ? 'grant' : 'none';
}

const NETWORK_NOTICE: Record<Exclude<NetworkSource, 'none'>, string> = {
  no_sandbox: 'This agent has network access: it runs without a sandbox.',
  policy: 'This agent has network access: allowed when the task was created.',
  grant: 'This agent has network access: you approved it for this task.',
};

/** The task view's plain statement, or null when the agent has no network. */
export function networkNotice(task: Pick<Task, 'policy' | 'grants'>): string | null {
  const source = networkSourceOf(task);
  return source === 'none' ? null : NETWORK_NOTICE[source];
}

/** "network access · writes to /a · 2 commands", or null when nothing was approved for the task. */
export function describeGrants(grants: TaskGrants): string | null {
  const parts: string[] = [];
  if (grants.network) parts.push('network access');
  if (grants.writablePaths.length > 0) parts.push(`writes to ${grants.writablePaths.join(', ')}`);
  const n = grants.commands.length;
  if (n > 0) parts.push(`${n} ${n === 1 ? 'command' : 'commands'}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export interface PolicyBadge {
  key: 'no_sandbox' | 'network' | 'read_only';
  label: string;
  tone: Tone;
  /** The tooltip: what the badge means for this task. */
  title: string;
}

/**
 * The card's policy badges: what is unusual about the task's sandbox. The default policy
 * (workspace-write, no network) shows nothing, so a badge is always worth a look.
 */
export function policyBadges(task: Pick<Task, 'policy' | 'grants'>): PolicyBadge[] {
  const source = networkSourceOf(task);
  if (source === 'no_sandbox') {
    return [
      {
        key: 'no_sandbox',
        label: 'No sandbox',
        tone: 'danger',
        title: 'Full access: the agent’s commands run with your permissions, network included.',
      },
    ];
  }
  const badges: PolicyBadge[] = [];
  if (task.policy.mode === 'read-only') {
    badges.push({ key: 'read_only', label: 'Read only', tone: 'neutral', title: 'The agent’s commands cannot change any file.' });
  }
  if (source !== 'none') {
    badges.push({ key: 'network', label: 'Network', tone: 'attention', title: NETWORK_NOTICE[source] });
  }
  return badges;
}
