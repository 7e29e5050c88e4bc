import { describe, expect, it } from 'vitest';
import { loadThemePreference, parseThemePreference, resolveTheme, saveThemePreference, THEME_STORAGE_KEY } from './theme.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    data,
  };
}

describe('theme preference', () => {
  it('defaults to system for missing or unknown values', () => {
    expect(parseThemePreference(null)).toBe('system');
    expect(parseThemePreference('purple')).toBe('system');
    expect(parseThemePreference('dark')).toBe('dark');
  });

  it('resolves system from the OS setting only', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });

  it('round-trips through storage and survives a throwing storage', () => {
    const storage = memoryStorage();
    saveThemePreference(storage, 'dark');
    expect(storage.data.get(THEME_STORAGE_KEY)).toBe('dark');
    expect(loadThemePreference(storage)).toBe('dark');
    const broken = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadThemePreference(broken)).toBe('system');
    expect(() => saveThemePreference(broken, 'light')).not.toThrow();
  });
});
