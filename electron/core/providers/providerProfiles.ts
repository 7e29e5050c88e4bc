import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import { ProviderApiSchema, type ProviderApi } from '../../../shared/model/provider.js';

/** A stored profile: everything but the key (see keyVault.ts). */
export interface StoredProvider {
  name: string;
  baseURL: string;
  api: ProviderApi;
  model: string;
}

const ProvidersFileSchema = z.object({
  version: z.literal(1),
  defaultProvider: z.string().nullable(),
  profiles: z.array(z.object({ name: z.string(), baseURL: z.string(), api: ProviderApiSchema, model: z.string() })),
});
type ProvidersFile = z.infer<typeof ProvidersFileSchema>;

export const PROVIDERS_FILE = 'providers.json';
const EMPTY: ProvidersFile = { version: 1, defaultProvider: null, profiles: [] };

/**
 * Provider profiles in FLOTILLA_HOME/providers.json (the host is its only writer; written
 * atomically). Names compare case-sensitively, as typed.
 */
export class ProviderProfiles {
  private readonly file: string;
  /**
   * The file as last read or written: the host is its one writer, and the runner asks for the
   * default provider on every scheduling pass (maxRunning), so it is read from disk once.
   */
  private cached: ProvidersFile | null = null;

  constructor(home: string) {
    this.file = path.join(home, PROVIDERS_FILE);
  }

  list(): StoredProvider[] {
    return this.read().profiles;
  }

  get(name: string): StoredProvider | undefined {
    return this.read().profiles.find((profile) => profile.name === name);
  }

  defaultName(): string | null {
    const stored = this.read();
    return stored.profiles.some((profile) => profile.name === stored.defaultProvider) ? stored.defaultProvider : null;
  }

  /** Adds or replaces `profile`; the first profile ever added becomes the default. */
  put(profile: StoredProvider): void {
    const stored = this.read();
    const others = stored.profiles.filter((existing) => existing.name !== profile.name);
    const defaultProvider = stored.defaultProvider ?? (others.length === 0 ? profile.name : null);
    this.write({ ...stored, defaultProvider, profiles: [...others, profile] });
  }

  /** Removes a profile; the default is cleared when it was this one. */
  remove(name: string): void {
    const stored = this.read();
    this.write({
      ...stored,
      defaultProvider: stored.defaultProvider === name ? null : stored.defaultProvider,
      profiles: stored.profiles.filter((profile) => profile.name !== name),
    });
  }

  setDefault(name: string | null): void {
    this.write({ ...this.read(), defaultProvider: name });
  }

  private read(): ProvidersFile {
    this.cached ??= this.readFile();
    return this.cached;
  }

  private readFile(): ProvidersFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
      throw error;
    }
    const parsed = ProvidersFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${this.file} is not a providers file Flotilla can read (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    return parsed.data;
  }

  private write(contents: ProvidersFile): void {
    writeFileAtomic(this.file, `${JSON.stringify(contents, null, 2)}\n`, 0o600);
    this.cached = contents;
  }
}
