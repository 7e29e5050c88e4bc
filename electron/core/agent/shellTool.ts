import type { FunctionTool } from 'openai/resources/responses/responses';

/** The one tool the built-in agent has: a bash command in the task's worktree, sandboxed. */
export const SHELL_TOOL: FunctionTool = {
  type: 'function',
  name: 'shell',
  description:
    'Run one bash command in the task worktree (the current directory) and get its combined output and exit code. ' +
    'It runs in a sandbox: no network; only the worktree and /tmp are writable; commands must not wait for input. ' +
    'If a command truly needs more, set `network` and/or `writable_paths` and explain why in `justification`: ' +
    'the user approves or denies; a denial comes back as the result.',
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'string', description: 'The bash command line to run.' },
      network: { type: 'boolean', description: 'Ask for network access for this command (needs the user’s approval).' },
      writable_paths: {
        type: 'array',
        items: { type: 'string' },
        description: 'Absolute paths outside the worktree this command must write (needs the user’s approval).',
      },
      justification: { type: 'string', description: 'Why the command needs network or those paths; shown to the user.' },
    },
    required: ['command'],
    additionalProperties: false,
  },
  // Not strict: strict mode would force the model to fill the optional escalation fields.
  strict: false,
};

export interface ShellRequest {
  command: string;
  network: boolean;
  writablePaths: string[];
  justification: string;
}

export type ShellCall = ({ isValid: true } & ShellRequest) | { isValid: false; error: string };

/** The model's arguments for `shell`: `{"command": "..."}`; anything else is explained back to it. */
export function parseShellCall(name: string, argumentsJson: string): ShellCall {
  if (name !== SHELL_TOOL.name) return { isValid: false, error: `error: there is no tool named "${name}"; use "shell".` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsJson);
  } catch {
    return { isValid: false, error: 'error: the shell arguments are not valid JSON; send {"command": "<bash command>"}.' };
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return { isValid: false, error: 'error: the shell arguments must be an object; send {"command": "<bash command>"}.' };
  }
  const args = parsed as Record<string, unknown>;
  const command = args.command;
  if (typeof command !== 'string' || command.trim() === '') {
    return { isValid: false, error: 'error: the shell tool needs a non-empty "command" string.' };
  }
  const paths = args.writable_paths ?? [];
  if (!Array.isArray(paths) || !paths.every((p): p is string => typeof p === 'string')) {
    return { isValid: false, error: 'error: "writable_paths" must be an array of absolute paths.' };
  }
  return {
    isValid: true,
    command,
    network: args.network === true,
    writablePaths: paths,
    justification: typeof args.justification === 'string' ? args.justification : '',
  };
}

export interface ShellOutcome {
  output: string;
  exitCode: number | null;
  isKilled: boolean;
  isTruncated: boolean;
}

/** 30k chars (~8k tokens) of a command's output go back to the model. */
export const MODEL_OUTPUT_MAX_CHARS = 30_000;

/**
 * What the model reads back: the output, then `[exit code N]` on its own line. A failed
 * command is fed back like any other (the model should adapt); a killed one says why.
 */
export function formatShellResult(result: ShellOutcome, killReason: string, maxChars = MODEL_OUTPUT_MAX_CHARS): string {
  const status = result.isKilled ? `[killed: ${killReason}]` : `[exit code ${result.exitCode ?? 'unknown'}]`;
  return `${clipMiddle(result.output, maxChars)}\n${status}`;
}

/**
 * Keeps the start and (twice as much of) the end: errors and test summaries come last,
 * what the command was doing comes first.
 */
export function clipMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars / 3);
  const tail = maxChars - head;
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n[... ${omitted} characters omitted ...]\n${text.slice(text.length - tail)}`;
}
