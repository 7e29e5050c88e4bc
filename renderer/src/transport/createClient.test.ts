import { describe, expect, it } from 'vitest';
import { wsUrlFor } from './createClient.js';

describe('wsUrlFor', () => {
  it('uses ws on http and wss on https, on the page host and port', () => {
    expect(wsUrlFor({ protocol: 'http:', host: '127.0.0.1:4321' })).toBe('ws://127.0.0.1:4321/api/ws');
    expect(wsUrlFor({ protocol: 'https:', host: 'example.test' })).toBe('wss://example.test/api/ws');
  });
});
