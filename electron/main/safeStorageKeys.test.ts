import { describe, expect, it } from 'vitest';
import { safeStorageKeys } from './safeStorageKeys.js';

const reversible = {
  encryptString: (plain: string) => Buffer.from([...plain].reverse().join('')),
  decryptString: (data: Buffer) => [...data.toString()].reverse().join(''),
};

describe('provider keys in the desktop app', () => {
  it('encrypts with safeStorage when a keychain is there', () => {
    const keys = safeStorageKeys({ ...reversible, isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'kwallet5' }, 'linux');
    expect(keys.storage).toEqual({ kind: 'safeStorage', warning: null });
    if (!('cipher' in keys)) throw new Error('no cipher');
    expect(keys.cipher.decrypt(keys.cipher.encrypt('sk-abc'))).toBe('sk-abc');
  });

  it("warns on Linux's basic_text backend, which only obscures, and offers the environment instead", () => {
    const keys = safeStorageKeys({ ...reversible, isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'basic_text' }, 'linux');
    expect(keys.storage.kind).toBe('safeStorage');
    expect(keys.storage.warning).toMatch(/only obscured.*OPENAI_API_KEY/);
  });

  it('falls back to the 0600 file, saying so, without encryption', () => {
    const keys = safeStorageKeys({ ...reversible, isEncryptionAvailable: () => false }, 'darwin');
    expect('cipher' in keys).toBe(false);
    expect(keys.storage).toEqual({ kind: 'file', warning: expect.stringContaining('not encrypted') });
  });
});
