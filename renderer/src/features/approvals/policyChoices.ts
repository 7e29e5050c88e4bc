import type { MethodInput } from '../../../../shared/contract.js';
import { DEFAULT_SANDBOX_POLICY, type ApprovalPolicy, type SandboxMode } from '../../../../shared/model/sandboxPolicy.js';

/** What the New task dialog's Sandbox group holds. */
export interface PolicyChoice {
  mode: SandboxMode;
  allowNetwork: boolean;
  approval: ApprovalPolicy;
  /** "I understand the agent's commands run with my full permissions": needed for full access. */
  isFullAccessConfirmed: boolean;
}

export const DEFAULT_POLICY_CHOICE: PolicyChoice = {
  mode: DEFAULT_SANDBOX_POLICY.mode,
  allowNetwork: DEFAULT_SANDBOX_POLICY.allowNetwork,
  approval: DEFAULT_SANDBOX_POLICY.approval,
  isFullAccessConfirmed: false,
};

export interface PolicyOption<T extends string> {
  value: T;
  label: string;
  /** One line under the select: what this choice means for the agent's commands. */
  hint: string;
}

/** Safest usable first: the default, then stricter, then the one without a sandbox. */
export const MODE_OPTIONS: readonly PolicyOption<SandboxMode>[] = [
  { value: 'workspace-write', label: 'Workspace write (default)', hint: 'Commands may change this task’s worktree, nothing else.' },
  { value: 'read-only', label: 'Read only', hint: 'Commands may read the repo but change no file.' },
  { value: 'full-access', label: 'Full access — no sandbox', hint: 'Commands run as you, with your files and network.' },
];

export const APPROVAL_OPTIONS: readonly PolicyOption<ApprovalPolicy>[] = [
  {
    value: 'on-request',
    label: 'On request (default)',
    hint: 'The agent may ask to go beyond the sandbox, giving a reason; you decide.',
  },
  {
    value: 'untrusted',
    label: 'Untrusted: ask before every command that can change things',
    hint: 'Only known read-only commands (ls, cat, grep, git status…) run without asking.',
  },
  { value: 'never', label: 'Never', hint: 'The agent cannot ask; anything beyond the sandbox is refused and it is told so.' },
];

export function optionOf<T extends string>(options: readonly PolicyOption<T>[], value: T): PolicyOption<T> {
  const found = options.find((o) => o.value === value);
  if (!found) throw new Error(`no option ${value}`);
  return found;
}

/** The option a select's string value names, or undefined for anything else. */
export function valueIn<T extends string>(options: readonly PolicyOption<T>[], value: string): T | undefined {
  return options.find((o) => o.value === value)?.value;
}

/** Without a sandbox there is no network namespace either: the checkbox shows what is true. */
export function effectiveNetwork(choice: Pick<PolicyChoice, 'mode' | 'allowNetwork'>): boolean {
  return choice.mode === 'full-access' || choice.allowNetwork;
}

/** Why Create is off, or null: full access needs the user's explicit confirmation. */
export function policyBlocker(choice: PolicyChoice): string | null {
  if (choice.mode === 'full-access' && !choice.isFullAccessConfirmed) {
    return 'Full access runs commands without a sandbox: confirm that you understand before creating the task.';
  }
  return null;
}

/**
 * The policy fields of `tasks.create`. Always explicit, never left to the host's defaults:
 * the task gets exactly what the dialog showed.
 */
export function policyCreateInput(choice: PolicyChoice): Pick<MethodInput<'tasks.create'>, 'sandbox' | 'allowNetwork' | 'approval'> {
  return { sandbox: choice.mode, allowNetwork: effectiveNetwork(choice), approval: choice.approval };
}

/** A new mode: a confirmation given for full access does not carry over to a later return to it. */
export function withMode(choice: PolicyChoice, mode: SandboxMode): PolicyChoice {
  return { ...choice, mode, isFullAccessConfirmed: mode === 'full-access' ? choice.isFullAccessConfirmed && choice.mode === 'full-access' : false };
}
