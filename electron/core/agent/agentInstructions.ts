import fs from 'node:fs/promises';
import path from 'node:path';

/** 32 KiB: enough for any sensible AGENTS.md, small next to a model's context. */
export const AGENTS_MD_MAX_BYTES = 32 * 1024;

const BASE_INSTRUCTIONS = [
  'You are a coding agent. You work in a git worktree of the user\'s repository, which is your current directory.',
  'Use the `shell` tool to inspect and change files: each call runs one bash command in the worktree,',
  'inside a sandbox without network access; only the worktree (and a private /tmp) is writable.',
  'Do not run git commands that write (commit, checkout, reset): the git metadata is read-only, and the app',
  'commits your changes after each turn. Commands must not wait for input. Their output and exit code come back to you;',
  'when a command fails, read the error and adapt.',
  'When the task is done, answer with a short summary of what you changed, without calling a tool.',
].join(' ');

/**
 * The system text for a turn: how to work, plus the repository's AGENTS.md when there is one.
 * The worktree is writable by the agent, so AGENTS.md is opened without following symlinks
 * (a link to ~/.ssh/id_rsa must not be sent to the model API) and capped.
 */
export async function buildInstructions(worktreePath: string): Promise<string> {
  const agentsMd = await readAgentsMd(worktreePath);
  if (agentsMd === null) return BASE_INSTRUCTIONS;
  return `${BASE_INSTRUCTIONS}\n\n# Project instructions (AGENTS.md at the repository root)\n\n${agentsMd}`;
}

export async function readAgentsMd(worktreePath: string): Promise<string | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path.join(worktreePath, 'AGENTS.md'), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return null; // missing, a symlink (ELOOP), or unreadable: no project instructions
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return null;
    const buffer = Buffer.alloc(Math.min(stat.size, AGENTS_MD_MAX_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return stat.size > AGENTS_MD_MAX_BYTES ? `${text}\n\n[AGENTS.md truncated at ${AGENTS_MD_MAX_BYTES / 1024} KiB]` : text;
  } finally {
    await handle.close();
  }
}
