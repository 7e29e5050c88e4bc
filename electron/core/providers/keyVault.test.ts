import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyVault, ENCRYPTED_KEYS_FILE, PLAIN_KEYS_FILE, type KeyCipher } from './keyVault.js';

const homes: string[] = [];
const tempHome = () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-keys-'));
  homes.push(home);
  return home;
};
afterEach(() => homes.splice(0).forEach((home) => fs.rmSync(home, { recursive: true, force: true })));

/** A real cipher (AES-256-GCM with a random key) standing in for Electron's safeStorage. */
function testCipher(): KeyCipher {
  const key = crypto.randomBytes(32);
  return {
    encrypt: (plain) => {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt: (data) => {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('key vault', () => {
  it('keeps keys in a 0600 file, and narrows a file someone widened', () => {
    const home = tempHome();
    const vault = createKeyVault({ home });
    vault.set('openai', 'sk-one');
    vault.set('local', 'sk-two');
    const file = path.join(home, PLAIN_KEYS_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(vault.get('openai')).toBe('sk-one');
    expect(vault.has('nobody')).toBe(false);
    expect(vault.allKeys().sort()).toEqual(['sk-one', 'sk-two']);
    fs.chmodSync(file, 0o644);
    expect(createKeyVault({ home }).get('local')).toBe('sk-two');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    vault.delete('openai');
    expect(vault.get('openai')).toBeNull();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ local: 'sk-two' });
  });

  it('with a cipher, the file holds no key in clear, and a headless vault on the same home does not read it as one', () => {
    const home = tempHome();
    const vault = createKeyVault({ home, cipher: testCipher(), storage: { kind: 'safeStorage', warning: null } });
    vault.set('openai', 'sk-proj-very-secret');
    const text = fs.readFileSync(path.join(home, ENCRYPTED_KEYS_FILE), 'utf8');
    expect(text).not.toContain('sk-proj-very-secret');
    expect(vault.get('openai')).toBe('sk-proj-very-secret');
    expect(vault.storage().kind).toBe('safeStorage');
    expect(createKeyVault({ home }).get('openai')).toBeNull();
  });

  it('names the file when it cannot be read as keys', () => {
    const home = tempHome();
    fs.writeFileSync(path.join(home, PLAIN_KEYS_FILE), '["not", "an object"]', { mode: 0o600 });
    expect(() => createKeyVault({ home }).get('x')).toThrow(/provider-keys\.json is not a JSON object of keys/);
  });
});
