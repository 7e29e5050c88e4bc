import { describe, expect, it } from 'vitest';
import { urlWithoutToken } from './scrubToken.js';

describe('urlWithoutToken', () => {
  it('removes only the token parameter', () => {
    expect(urlWithoutToken('http://127.0.0.1:4000/?token=abc')).toBe('http://127.0.0.1:4000/');
    expect(urlWithoutToken('http://127.0.0.1:4000/?a=1&token=abc#x')).toBe('http://127.0.0.1:4000/?a=1#x');
  });

  it('returns null when there is no token', () => {
    expect(urlWithoutToken('http://127.0.0.1:4000/')).toBeNull();
    expect(urlWithoutToken('flotilla://app/index.html')).toBeNull();
  });
});
