import { describe, expect, it } from 'vitest';
import { listeningLine } from './serveCommand.js';

describe('listeningLine', () => {
  const url = 'http://127.0.0.1:4711/?token=abcDEF123_-';

  it('gives a terminal the sign-in URL with its token: a person reads it there', () => {
    expect(listeningLine(url, { isTerminal: true, serverFile: '/h/server.json' })).toBe(`Flotilla listening on ${url}`);
  });

  it('keeps the token out of a pipe or log file, and says where the sign-in URL is', () => {
    const line = listeningLine(url, { isTerminal: false, serverFile: '/h/server.json' });
    expect(line).toBe('Flotilla listening on http://127.0.0.1:4711/ (open the sign-in URL, with its token, from /h/server.json)');
    expect(line).not.toContain('abcDEF123');
  });
});
