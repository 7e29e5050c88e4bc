import { z } from 'zod';
import { resultOf } from './result.js';

/**
 * The terminal part of the contract: methods and events (JSON, spread into `methods` / `events`
 * of shared/contract.ts). Terminal bytes never go through JSON: they travel as the binary
 * frames of wire.ts.
 *
 * How a client shows a terminal:
 * 1. `terminal.open` (or `terminal.list` to find existing ones) → sessionId;
 * 2. `terminal.attach` → the current screen (`snapshot`) and size: write the snapshot to a fresh
 *    xterm of that size;
 * 3. send a `ready` frame: only then does the host stream `output` frames, starting exactly
 *    after the snapshot (the reply and the frames may travel on different channels);
 * 4. ack every `output` frame from xterm's write callback with its `data.length` (an `ack`
 *    frame, or one ack per several frames): without acks the host pauses the pty;
 * 5. keystrokes go as `input` frames (or `terminal.write`).
 */

/** Sessions are UUIDs: binary frames carry them as 16 bytes. */
export const SessionIdSchema = z.uuid();
const SessionRef = z.object({ sessionId: SessionIdSchema });
/** 1..1000 cells: beyond it a size is a bug, and xterm would allocate it. */
const Cols = z.number().int().min(1).max(1_000);
const Rows = z.number().int().min(1).max(1_000);

/**
 * What a user can open (`terminal.open`):
 * `sandboxed`: a shell inside the task's sandbox (same rules as the agent's commands).
 * `unsandboxed`: the user's own shell in the worktree, with no sandbox; the UI marks it clearly.
 */
export const ShellKindSchema = z.enum(['sandboxed', 'unsandboxed']);
export type ShellKind = z.infer<typeof ShellKindSchema>;

/**
 * A task's terminal: one of its shells, or `agent`: its Agent terminal, which the host makes on
 * the agent's first command and which shows every command of every turn, live, on its own pty
 * (keystrokes go to the command running, to answer a prompt). It cannot be opened or closed.
 */
export const TerminalKindSchema = z.enum(['agent', 'sandboxed', 'unsandboxed']);
export type TerminalKind = z.infer<typeof TerminalKindSchema>;

export const TerminalInfoSchema = z.object({
  sessionId: SessionIdSchema,
  taskId: z.string(),
  kind: TerminalKindSchema,
  cols: Cols,
  rows: Rows,
  /** A shell: its program runs. The Agent terminal: a command runs in it now. */
  isRunning: z.boolean(),
  /** null while running, or when the end is unknown (the pty host crashed). */
  exitCode: z.number().int().nullable(),
});
export type TerminalInfo = z.infer<typeof TerminalInfoSchema>;

export const terminalMethods = {
  'terminal.open': {
    input: z.object({ taskId: z.string().min(1), kind: ShellKindSchema.default('sandboxed'), cols: Cols, rows: Rows }),
    /** `snapshot` is the screen at open (usually empty); attach to receive output. */
    output: resultOf({ sessionId: SessionIdSchema, snapshot: z.string() }),
  },
  /** The task's terminals; its Agent terminal (once it exists) first. */
  'terminal.list': {
    input: z.object({ taskId: z.string().min(1) }),
    output: resultOf({ terminals: z.array(TerminalInfoSchema) }),
  },
  'terminal.write': {
    // 1 M chars: a big paste; anything larger is not typing.
    input: SessionRef.extend({ data: z.string().min(1).max(1_000_000) }),
    output: resultOf({}),
  },
  'terminal.resize': { input: SessionRef.extend({ cols: Cols, rows: Rows }), output: resultOf({}) },
  /** Kills the terminal's processes and forgets it (not the Agent terminal: it lives as long as its task's worktree). */
  'terminal.close': { input: SessionRef, output: resultOf({}) },
} as const;

/**
 * Per connection (see `connectionMethods` in shared/contract.ts): the session's output then
 * streams as binary frames on the connection that attached, and only there.
 */
export const terminalConnectionMethods = {
  'terminal.attach': {
    input: SessionRef,
    output: resultOf({ snapshot: z.string(), cols: Cols, rows: Rows }),
  },
} as const;

export const terminalEvents = {
  'terminal.onDidExit': z.object({
    sessionId: SessionIdSchema,
    /** null when unknown (the pty host crashed, see `reason`). */
    exitCode: z.number().int().nullable(),
    /** Why it ended when it was not the program's own doing, e.g. "pty host crashed (…)"; else null. */
    reason: z.string().nullable(),
  }),
} as const;
