import type { TaskGrants, Widening } from './approval.js';

// Plain code without zod on purpose: the agent worker loads it, and every worker's memory
// counts per running agent (the `fleet` benchmark).

/** One line for a card or a notification: what is being asked. */
export function describeWidening(widening: Widening): string {
  const parts: string[] = [];
  if (widening.network) parts.push('network access');
  if (widening.writablePaths.length > 0) parts.push(`writes to ${widening.writablePaths.join(', ')}`);
  return parts.length > 0 ? parts.join(' and ') : 'running this command in the sandbox';
}

/** True when everything `wanted` asks for is already granted. */
export function isCovered(wanted: Widening, grants: TaskGrants): boolean {
  if (wanted.network && !grants.network) return false;
  return wanted.writablePaths.every((p) => grants.writablePaths.some((g) => p === g || p.startsWith(`${g}/`)));
}
