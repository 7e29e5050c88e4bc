import { z } from 'zod';
import {
  KeyStorageSchema,
  ProviderApiSchema,
  ProviderBaseUrlSchema,
  ProviderInEffectSchema,
  ProviderNameSchema,
  ProviderProfileSchema,
} from '../model/provider.js';
import { resultOf } from './result.js';

/** 4 KiB: far longer than any real API key; a paste of something else is refused. */
const MAX_API_KEY_CHARS = 4096;

/** Provider profiles (issue 11). Keys go in, never out: replies carry `hasKey` only. Spread into `hostMethods`. */
export const providerMethods = {
  /** Every profile, the default one, where keys are kept, and what a new task would run with. */
  'providers.list': {
    input: z.object({}),
    output: z.object({
      providers: z.array(ProviderProfileSchema),
      defaultProvider: z.string().nullable(),
      keyStorage: KeyStorageSchema,
      inEffect: ProviderInEffectSchema,
    }),
  },
  /** Adds a profile (`replace`: overwrite one of the same name). The first profile becomes the default. */
  'providers.add': {
    input: z.object({
      name: ProviderNameSchema,
      baseURL: ProviderBaseUrlSchema,
      api: ProviderApiSchema,
      model: z.string().trim().min(1).max(200),
      apiKey: z.string().trim().min(1).max(MAX_API_KEY_CHARS).optional(),
      replace: z.boolean().optional(),
    }),
    output: resultOf({ provider: ProviderProfileSchema }),
  },
  'providers.remove': { input: z.object({ name: z.string().min(1) }), output: resultOf({}) },
  /** null: no default profile (the environment or the settings apply). */
  'providers.setDefault': { input: z.object({ name: z.string().min(1).nullable() }), output: resultOf({}) },
  /** One tiny request to the provider: how long it took, or what failed in one line (`unavailable`). */
  'providers.test': {
    input: z.object({ name: z.string().min(1) }),
    output: resultOf({ model: z.string(), latencyMs: z.number() }),
  },
} as const;

export const providerEvents = {
  /** A profile was added, removed or made the default: what new tasks use now (no key). */
  'providers.onDidChange': z.object({ inEffect: ProviderInEffectSchema }),
} as const;
