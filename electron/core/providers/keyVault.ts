import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import type { KeyStorage } from '../../../shared/model/provider.js';

/**
 * Where provider API keys live. Keys never leave the host except to the agent worker that
 * calls the provider (over its IPC channel, never in an environment a command could read).
 *
 * One JSON file `{ "<provider>": "<key or ciphertext>" }`, 0600, written atomically. Headless,
 * the values are plain text (the README says so: the file's mode is the protection, as for
 * ~/.codex/auth.json). In the desktop app a cipher from Electron's `safeStorage` encrypts each
 * value with the OS keychain's key, and the file is a different one, so a headless host on the
 * same FLOTILLA_HOME never reads ciphertext as a key.
 */
export interface KeyVault {
  storage(): KeyStorage;
  get(provider: string): string | null;
  has(provider: string): boolean;
  set(provider: string, key: string): void;
  delete(provider: string): void;
  /** Every stored key: the redactor masks them wherever they would reach the disk. */
  allKeys(): string[];
}

/** Encrypts values at rest (Electron safeStorage); synchronous like safeStorage itself. */
export interface KeyCipher {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export const PLAIN_KEYS_FILE = 'provider-keys.json';
export const ENCRYPTED_KEYS_FILE = 'provider-keys.safe.json';

export function createKeyVault(opts: { home: string; cipher?: KeyCipher; storage?: KeyStorage }): KeyVault {
  const file = path.join(opts.home, opts.cipher ? ENCRYPTED_KEYS_FILE : PLAIN_KEYS_FILE);
  const storage: KeyStorage = opts.storage ?? { kind: 'file', warning: null };
  const encode = (key: string) => (opts.cipher ? opts.cipher.encrypt(key).toString('base64') : key);
  const decode = (stored: string) => (opts.cipher ? opts.cipher.decrypt(Buffer.from(stored, 'base64')) : stored);

  // The host is the file's one writer (one host per FLOTILLA_HOME): read it once, then keep the
  // copy in step with every write. The redactor asks for every key about once a second.
  let cached: Record<string, string> | null = null;
  const read = (): Record<string, string> => (cached ??= readFile());
  const readFile = (): Record<string, string> => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    // Someone widened it by hand (a copy, a backup restore): narrow it again before use.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file} is not a JSON object of keys`);
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  };
  const write = (keys: Record<string, string>) => {
    writeFileAtomic(file, `${JSON.stringify(keys, null, 2)}\n`, 0o600);
    cached = keys;
  };

  return {
    storage: () => storage,
    get: (provider) => {
      const stored = read()[provider];
      return stored === undefined ? null : decode(stored);
    },
    has: (provider) => read()[provider] !== undefined,
    set: (provider, key) => write({ ...read(), [provider]: encode(key) }),
    delete: (provider) => {
      const { [provider]: removed, ...rest } = read();
      if (removed === undefined) return;
      write(rest);
    },
    allKeys: () => Object.values(read()).map(decode),
  };
}
