import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, inertIo } from './cliIo.js';
import type { CommandContext } from './clientCommands.js';
import { printed, replied } from './commandReplies.js';
import type { HostClient } from './hostClient.js';

function context(isJson = false) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    // The helpers never call the host: the replies are handed to them.
    client: {} as HostClient,
    io: inertIo({ stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: '/', env: {} }),
    values: {},
    positionals: [],
    isJson,
  };
  return { ctx, out, err };
}

describe('replied: the reply ladder of every command', () => {
  it('hands the output to the command', async () => {
    const { ctx, out, err } = context();
    const code = await replied(ctx, Promise.resolve({ ok: true as const, value: { ok: true as const, name: 'x' } }), ({ name }) => printed(ctx, {}, `got ${name}`));
    expect(code).toBe(EXIT_OK);
    expect(out).toEqual(['got x']);
    expect(err).toEqual([]);
  });

  it('takes an output without `ok` (a method that cannot fail as expected) as an output', async () => {
    const { ctx, out } = context();
    await replied(ctx, Promise.resolve({ ok: true as const, value: { repos: [] as string[] } }), ({ repos }) => printed(ctx, repos, `${repos.length} repos`));
    expect(out).toEqual(['0 repos']);
  });

  it('prints a call that broke as one flotilla: line', async () => {
    const { ctx, out, err } = context();
    const code = await replied(ctx, Promise.resolve({ ok: false as const, message: 'cannot reach the Flotilla host' }), () => EXIT_OK);
    expect(code).toBe(EXIT_FAILURE);
    expect(out).toEqual([]);
    expect(err).toEqual(['flotilla: cannot reach the Flotilla host']);
  });

  it('prints an expected failure on stderr, and as JSON on stdout with --json', async () => {
    const { ctx, out, err } = context(true);
    const failure = { ok: false as const, kind: 'conflict' as const, message: 'the merge would conflict', files: ['a.ts'] };
    const code = await replied(ctx, Promise.resolve({ ok: true as const, value: failure }), () => EXIT_OK);
    expect(code).toBe(EXIT_FAILURE);
    expect(JSON.parse(out.join(''))).toEqual(failure);
    expect(err).toEqual(['flotilla: the merge would conflict (a.ts)']);
  });
});
