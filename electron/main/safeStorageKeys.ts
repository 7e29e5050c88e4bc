import type * as Electron from 'electron';
import type { KeyCipher } from '../core/providers/keyVault.js';
import type { KeyStorage } from '../../shared/model/provider.js';

type SafeStorage = Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  /** Linux only: which secret store Chromium found ('basic_text' when none). */
  getSelectedStorageBackend?: () => string;
};

/**
 * How the app keeps provider keys at rest: encrypted by Electron's `safeStorage` with the OS
 * keychain's key (macOS Keychain, Windows DPAPI, Secret Service or KWallet on Linux). On Linux
 * without a secret store Chromium falls back to `basic_text`, a fixed key that only obscures:
 * Settings and `provider list` warn, and the user may keep the key in the environment instead.
 * Without encryption at all, the headless 0600 file is used, with a warning saying so.
 * Call after the app is ready (safeStorage needs it on Linux).
 */
export function safeStorageKeys(safeStorage: SafeStorage, platform: NodeJS.Platform): { cipher: KeyCipher; storage: KeyStorage } | { storage: KeyStorage } {
  if (!safeStorage.isEncryptionAvailable()) {
    return { storage: { kind: 'file', warning: 'the OS keychain is not available, so keys are kept in a file only you can read (mode 0600), not encrypted' } };
  }
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  const warning =
    backend === 'basic_text'
      ? 'no keychain (Secret Service or KWallet) was found, so keys are only obscured, not truly encrypted; install and unlock one (e.g. gnome-keyring), or leave the key out and set OPENAI_API_KEY in your environment instead'
      : null;
  return {
    cipher: { encrypt: (plain) => safeStorage.encryptString(plain), decrypt: (cipher) => safeStorage.decryptString(cipher) },
    storage: { kind: 'safeStorage', warning },
  };
}
