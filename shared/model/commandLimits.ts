/**
 * 10 min: long builds and test suites fit; a hung command does not hold a task forever.
 * Its own zod-free module: the agent worker needs it without the schemas (see readOnlyCommands.ts).
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;
