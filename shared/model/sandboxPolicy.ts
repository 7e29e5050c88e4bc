import { z } from 'zod';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './commandLimits.js';

/**
 * What one task's commands may do, chosen when the task is created (a default in settings).
 * Only the user widens it (task creation, or an approval); never a file inside the repo.
 */
export const SandboxModeSchema = z.enum(['read-only', 'workspace-write', 'full-access']);
export type SandboxMode = z.infer<typeof SandboxModeSchema>;

/**
 * - `on-request`: the agent may ask to go beyond the sandbox (network, a path outside the
 *   worktree), giving a reason; the user approves or denies.
 * - `untrusted`: every command that is not a known read-only command waits for approval.
 * - `never`: no escalation; denials go back to the agent.
 */
export const ApprovalPolicySchema = z.enum(['on-request', 'untrusted', 'never']);
export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>;

export const SandboxPolicySchema = z.object({
  /** Default 'workspace-write'. 'full-access' runs commands without any sandbox. */
  mode: SandboxModeSchema,
  /** Default false: commands get an empty network namespace. */
  allowNetwork: z.boolean(),
  /** Default 'on-request'. */
  approval: ApprovalPolicySchema,
  /** Wall time of one command, in ms; default 10 min. */
  commandTimeoutMs: z.number().int().positive(),
  /** Absolute host paths the user made writable through an approval; default none. */
  extraWritablePaths: z.array(z.string()),
});
export type SandboxPolicy = z.infer<typeof SandboxPolicySchema>;

export { DEFAULT_COMMAND_TIMEOUT_MS };

/** Copy before changing: `{ ...DEFAULT_SANDBOX_POLICY, extraWritablePaths: [...] }`. */
export const DEFAULT_SANDBOX_POLICY: SandboxPolicy = Object.freeze({
  mode: 'workspace-write',
  allowNetwork: false,
  approval: 'on-request',
  commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
  extraWritablePaths: [],
});

/** One line for a card, the task view or the CLI, e.g. "workspace-write · no network · approval on-request". */
export function describePolicy(p: SandboxPolicy): string {
  const parts: string[] = [];
  if (p.mode === 'full-access') {
    // Without a sandbox the network setting means nothing: say what is true.
    parts.push('full-access (no sandbox)', 'network');
  } else {
    parts.push(p.mode, p.allowNetwork ? 'network' : 'no network');
  }
  parts.push(`approval ${p.approval}`);
  if (p.mode !== 'full-access' && p.extraWritablePaths.length > 0) {
    const n = p.extraWritablePaths.length;
    parts.push(`+${n} writable path${n === 1 ? '' : 's'}`);
  }
  if (p.commandTimeoutMs !== DEFAULT_COMMAND_TIMEOUT_MS) parts.push(`${formatDuration(p.commandTimeoutMs)} per command`);
  return parts.join(' · ');
}

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
