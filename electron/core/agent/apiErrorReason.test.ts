import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { describeApiError, oneLine } from './apiErrorReason.js';

/** Reasons come from real SDK errors: the shapes drift with SDK versions, so nothing is mocked. */

async function sdkError(baseURL: string): Promise<unknown> {
  const client = new OpenAI({ baseURL, apiKey: 'sk-secret-in-test', maxRetries: 0, timeout: 5_000 });
  return client.responses.create({ model: 'm', input: 'x' }).then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

describe('describeApiError', () => {
  it('explains a port fetch refuses to use, instead of "bad port"', async () => {
    const error = await sdkError('http://127.0.0.1:1/v1');
    expect(describeApiError(error, 'http://127.0.0.1:1/v1')).toBe(
      'model API unreachable at http://127.0.0.1:1/v1: port 1 is blocked by fetch (a reserved port); use another port',
    );
  });

  it('names an unknown host', async () => {
    const error = await sdkError('http://no-such-host.invalid/v1');
    expect(describeApiError(error, 'http://no-such-host.invalid/v1')).toMatch(/^model API unreachable at http:\/\/no-such-host\.invalid\/v1: host not found/);
  });

  it('hints at the key on 401, and keeps credentials in a URL out of the reason', () => {
    const error = OpenAI.APIError.generate(401, { error: { message: 'Incorrect API key provided' } }, undefined, new Headers());
    const reason = describeApiError(error, 'https://user:sk-secret@api.example.com/v1');
    expect(reason).toBe('model API error 401 at https://api.example.com/v1 (check OPENAI_API_KEY): Incorrect API key provided');
    expect(reason).not.toContain('sk-secret');
  });

  it('keeps a reason to one short line', () => {
    expect(oneLine('a\n  b\tc')).toBe('a b c');
    expect(oneLine('x'.repeat(1_000))).toHaveLength(300);
  });
});
