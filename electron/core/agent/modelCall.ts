import OpenAI from 'openai';
import type { ResponseInputItem, ResponseOutputItem } from 'openai/resources/responses/responses';
import { describeApiError, oneLine } from './apiErrorReason.js';
import { AGENT_TOOLS } from './editTools.js';
import { readChatStream } from './chatStream.js';

export type ModelReply =
  | { kind: 'ok'; output: ResponseOutputItem[]; usage: { inputTokens: number; outputTokens: number } }
  | { kind: 'failed'; reason: string }
  | { kind: 'stopped' };

export interface ModelCallOptions {
  client: OpenAI;
  /** Which API the endpoint speaks; default `responses`. `chat`: Chat Completions (see chatStream.ts). */
  api?: 'responses' | 'chat';
  model: string;
  instructions: string;
  input: ResponseInputItem[];
  /** Aborted when the task is stopped. */
  signal: AbortSignal;
  /** A stream that sends nothing for this long is cut and tried again (ms). */
  streamIdleMs: number;
  /** Structured output (Responses API `text.format`); unset: plain text. */
  textFormat?: { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean };
  /** Waits between attempts after a broken stream; injectable so tests need not sleep. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * 3 attempts: the SDK retries failed requests itself (429, 5xx, refused connections) but not
 * a stream that breaks after its headers arrived; a turn should survive one dropped socket.
 */
const STREAM_ATTEMPTS = 3;
/** 1 s, then 2 s: long enough for a restarting proxy, short next to a turn. */
const STREAM_RETRY_BASE_MS = 1_000;

/**
 * One model call, streamed: the output items once the response completes, or why it could not.
 * The Responses API, or Chat Completions translated to the same items (chatStream.ts). Nothing is shown before completion, so retrying a broken
 * stream is invisible to the user.
 */
export async function callModel(opts: ModelCallOptions): Promise<ModelReply> {
  const sleep = opts.sleep ?? abortableSleep;
  let lastError: unknown = null;
  for (let attempt = 0; attempt < STREAM_ATTEMPTS; attempt += 1) {
    if (attempt > 0) await sleep(STREAM_RETRY_BASE_MS * 2 ** (attempt - 1), opts.signal);
    if (opts.signal.aborted) return { kind: 'stopped' };
    const outcome = await streamOnce(opts);
    if (outcome.kind !== 'broken') return outcome;
    lastError = outcome.error;
  }
  return { kind: 'failed', reason: describeApiError(lastError, opts.client.baseURL) };
}

export type Attempt = ModelReply | { kind: 'broken'; error: unknown };

/** What one streamed request gets from `streamOnce`: the merged abort signal and the idle re-arm. */
export interface StreamControl {
  signal: AbortSignal;
  /** Call on every event received: a stream that sends nothing for `streamIdleMs` is cut. */
  onActivity(): void;
}

/** Reads one streamed reply; returns null when the stream ended before the reply was complete. */
type StreamReader = (opts: ModelCallOptions, control: StreamControl) => Promise<ModelReply | null>;

async function streamOnce(opts: ModelCallOptions): Promise<Attempt> {
  const controller = new AbortController();
  const onStop = () => controller.abort();
  opts.signal.addEventListener('abort', onStop, { once: true });
  let idleTimer: NodeJS.Timeout | null = null;
  let isIdle = false;
  const armIdleTimer = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      isIdle = true;
      controller.abort();
    }, opts.streamIdleMs);
  };

  try {
    const read: StreamReader = opts.api === 'chat' ? readChatStream : readResponsesStream;
    const reply = await read(opts, { signal: controller.signal, onActivity: armIdleTimer });
    if (opts.signal.aborted) return { kind: 'stopped' };
    if (reply === null) {
      // The SDK ends the iteration quietly on abort, so an idle cut-off lands here too.
      const why = isIdle ? `no data for ${Math.round(opts.streamIdleMs / 1000)} s` : 'the stream ended before the response completed';
      return { kind: 'broken', error: new Error(why) };
    }
    return reply;
  } catch (error) {
    if (opts.signal.aborted) return { kind: 'stopped' };
    // The SDK already retried these (HTTP errors, refused connections, its own timeout).
    if (error instanceof OpenAI.APIError) return { kind: 'failed', reason: describeApiError(error, opts.client.baseURL) };
    return { kind: 'broken', error };
  } finally {
    if (idleTimer) clearTimeout(idleTimer);
    opts.signal.removeEventListener('abort', onStop);
  }
}

/** The Responses API: output items as they complete, then the completed response. */
async function readResponsesStream(opts: ModelCallOptions, control: StreamControl): Promise<ModelReply | null> {
  const stream = await opts.client.responses.create(
    {
      model: opts.model,
      instructions: opts.instructions,
      input: opts.input,
      tools: AGENT_TOOLS,
      stream: true,
      // Nothing is kept server-side: the host owns the history and resends it each call.
      store: false,
      ...(opts.textFormat ? { text: { format: opts.textFormat } } : {}),
    },
    { signal: control.signal },
  );
  control.onActivity();
  const items: ResponseOutputItem[] = [];
  let completed: { output: ResponseOutputItem[]; inputTokens: number; outputTokens: number } | null = null;
  for await (const event of stream) {
    control.onActivity();
    if (event.type === 'response.output_item.done') items[event.output_index] = event.item;
    else if (event.type === 'response.completed' || event.type === 'response.incomplete') {
      completed = {
        output: event.response.output,
        inputTokens: event.response.usage?.input_tokens ?? 0,
        outputTokens: event.response.usage?.output_tokens ?? 0,
      };
    } else if (event.type === 'response.failed') {
      const message = event.response.error?.message ?? 'the response failed';
      return { kind: 'failed', reason: oneLine(`model API error at ${opts.client.baseURL}: ${message}`) };
    } else if (event.type === 'error') {
      return { kind: 'failed', reason: oneLine(`model API error at ${opts.client.baseURL}: ${event.message}`) };
    }
  }
  if (completed === null) return null;
  const output = completed.output.length > 0 ? completed.output : items.filter((item) => item !== undefined);
  return { kind: 'ok', output, usage: { inputTokens: completed.inputTokens, outputTokens: completed.outputTokens } };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
