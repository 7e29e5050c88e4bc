import { z } from 'zod';

/**
 * Model providers: named OpenAI-compatible endpoints kept by the host. A profile's API key is
 * never part of it: keys stay in the host's key vault and only `hasKey` crosses the contract.
 */

/** `responses`: OpenAI's Responses API; `chat`: Chat Completions (Ollama, vLLM, LM Studio…). */
export const ProviderApiSchema = z.enum(['responses', 'chat']);
export type ProviderApi = z.infer<typeof ProviderApiSchema>;

/** Short and plain, so it is safe in a file name, a flag and a log line. */
export const ProviderNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'a provider name is 1–40 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const ProviderBaseUrlSchema = z.url({ protocol: /^https?$/, error: 'the base URL must be an http(s) URL, e.g. http://localhost:11434/v1' });

export const ProviderProfileSchema = z.object({
  name: ProviderNameSchema,
  baseURL: ProviderBaseUrlSchema,
  api: ProviderApiSchema,
  /** The model new tasks of this provider use unless they name one. */
  model: z.string().trim().min(1).max(200),
  hasKey: z.boolean(),
});
export type ProviderProfile = z.infer<typeof ProviderProfileSchema>;

/** Where a value in effect comes from, so Settings can say it. */
export const ValueSourceSchema = z.enum(['profile', 'environment', 'setting', 'default']);
export type ValueSource = z.infer<typeof ValueSourceSchema>;

/** What a new task would run with, and where each part comes from. */
export const ProviderInEffectSchema = z.object({
  /** The profile's name; null when no profile applies (environment or settings). */
  provider: z.string().nullable(),
  /** null: the SDK's default endpoint (api.openai.com). */
  baseURL: z.string().nullable(),
  api: ProviderApiSchema,
  model: z.string(),
  hasKey: z.boolean(),
  sources: z.object({ baseURL: ValueSourceSchema, model: ValueSourceSchema, apiKey: ValueSourceSchema.nullable() }),
});
export type ProviderInEffect = z.infer<typeof ProviderInEffectSchema>;

/** Where keys are kept, for Settings and `provider list` to say. */
export const KeyStorageSchema = z.object({
  kind: z.enum(['file', 'safeStorage']),
  /** A caveat the user should read (e.g. Linux's `basic_text` backend is not real encryption); null when none. */
  warning: z.string().nullable(),
});
export type KeyStorage = z.infer<typeof KeyStorageSchema>;
