import OpenAI from 'openai';
import { describeApiError, oneLine } from '../agent/apiErrorReason.js';
import { errorMessage } from '../util/errorMessage.js';
import type { StoredProvider } from './providerProfiles.js';

/** 20 s: a local model may load on the first request; longer means something is wrong. */
const PROBE_TIMEOUT_MS = 20_000;
/** The smallest request each API accepts everywhere (some servers refuse fewer output tokens). */
const PROBE_MAX_TOKENS = 16;
const PROBE_PROMPT = 'Reply with the word OK.';

export type ProbeResult = { ok: true; latencyMs: number } | { ok: false; reason: string };

/**
 * One tiny request to a provider with its own key: proves the URL, the API kind, the key and
 * the model together, and says in one line which of them failed. No retries: the user is waiting.
 */
export async function probeProvider(profile: StoredProvider, apiKey: string | null, clock: () => number = Date.now): Promise<ProbeResult> {
  const client = new OpenAI({ baseURL: profile.baseURL, apiKey: apiKey ?? 'not-set', maxRetries: 0, timeout: PROBE_TIMEOUT_MS });
  const started = clock();
  try {
    if (profile.api === 'responses') {
      await client.responses.create({ model: profile.model, input: PROBE_PROMPT, max_output_tokens: PROBE_MAX_TOKENS, store: false });
    } else {
      await client.chat.completions.create({ model: profile.model, messages: [{ role: 'user', content: PROBE_PROMPT }], max_tokens: PROBE_MAX_TOKENS });
    }
    return { ok: true, latencyMs: clock() - started };
  } catch (error) {
    const reason = error instanceof OpenAI.APIError ? describeApiError(error, profile.baseURL) : oneLine(errorMessage(error));
    return { ok: false, reason };
  }
}
