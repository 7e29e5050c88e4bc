import { z } from 'zod';
import { ApprovalPolicySchema, DEFAULT_SANDBOX_POLICY, SandboxModeSchema } from './sandboxPolicy.js';

/**
 * User settings, kept in the host's database (never read from a repo). Each key has a schema
 * that parses the text a user types (`flotilla config set maxRunning 6`).
 */
export const SETTING_SCHEMAS = {
  /** Tasks running at once; the rest wait in `queued`, oldest first. */
  maxRunning: z.coerce.number().int().min(1).max(64),
  /** Model name for new turns (FLOTILLA_MODEL overrides it). */
  model: z.string().trim().min(1),
  /** OpenAI-compatible endpoint; empty means the SDK default (OPENAI_BASE_URL overrides it). */
  baseURL: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
  /** Wall time per sandboxed command, in ms. */
  commandTimeoutMs: z.coerce.number().int().min(1_000).max(24 * 60 * 60 * 1000),
  /** The sandbox policy new tasks start with (each task can choose its own at creation). */
  defaultSandbox: SandboxModeSchema,
  defaultNetwork: z.stringbool(),
  defaultApproval: ApprovalPolicySchema,
  /**
   * Lines of scrollback each terminal keeps (the host's screen mirror and the view). A full
   * 10 000-line terminal of 120 columns costs ~20 MB (see `npm run bench -- terminals-memory`).
   */
  terminalScrollback: z.coerce.number().int().min(100).max(100_000),
  /** Days an archived worktree (refs/flotilla/archive/<task>) is kept after a merge or discard. */
  archiveRetentionDays: z.coerce.number().int().min(1).max(3650),
  /**
   * Days the history of a finished task (merged or discarded: its journal events and terminal
   * recordings) is kept; an open task's history is never pruned.
   */
  historyRetentionDays: z.coerce.number().int().min(1).max(3650),
  /** MB that recordings and journal history may take in all; past it, finished tasks' history goes, oldest first. */
  historyRetentionMB: z.coerce.number().int().min(16).max(1024 * 1024),
  /**
   * Names of environment variables (of the host) whose values are secrets: masked wherever
   * Flotilla records text (journal, recordings, exports). Typed as a list: `A, B` or `A B`.
   */
  secretEnvVars: z
    .union([z.array(z.string()), z.string().transform((text) => text.split(/[\s,]+/).filter((name) => name !== ''))])
    .pipe(z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name')).max(200)),
} as const;

export type SettingKey = keyof typeof SETTING_SCHEMAS;
export const SETTING_KEYS = Object.keys(SETTING_SCHEMAS) as SettingKey[];
export const SettingKeySchema = z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]);

export const SettingsSchema = z.object({
  maxRunning: z.number(),
  model: z.string(),
  baseURL: z.string(),
  commandTimeoutMs: z.number(),
  defaultSandbox: SandboxModeSchema,
  defaultNetwork: z.boolean(),
  defaultApproval: ApprovalPolicySchema,
  terminalScrollback: z.number(),
  archiveRetentionDays: z.number(),
  historyRetentionDays: z.number(),
  historyRetentionMB: z.number(),
  secretEnvVars: z.array(z.string()),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  maxRunning: 4,
  model: 'gpt-5-codex',
  baseURL: '',
  // 10 min: long enough for a full test suite, short enough that a hung command frees its slot.
  commandTimeoutMs: 10 * 60 * 1000,
  defaultSandbox: DEFAULT_SANDBOX_POLICY.mode,
  defaultNetwork: DEFAULT_SANDBOX_POLICY.allowNetwork,
  defaultApproval: DEFAULT_SANDBOX_POLICY.approval,
  terminalScrollback: 10_000,
  // 30 days: long enough to notice a wrong discard after a holiday; the objects cost disk.
  archiveRetentionDays: 30,
  // 30 days and 2 GB: a month of replays to learn from; an hour of eight agents is ~50 MB.
  historyRetentionDays: 30,
  historyRetentionMB: 2048,
  // Besides these, any variable whose name says it holds a secret (…_TOKEN, …_API_KEY, …) is
  // masked too (electron/core/redaction/hostSecrets.ts).
  secretEnvVars: [],
};
