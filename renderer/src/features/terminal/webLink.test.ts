import { describe, expect, it } from 'vitest';
import { openWebLink } from './webLink.js';

describe('openWebLink', () => {
  it('opens http(s) only after a confirm that names the URL', () => {
    const opened: string[] = [];
    const questions: string[] = [];
    const yes = (q: string) => {
      questions.push(q);
      return true;
    };
    expect(openWebLink('https://example.test/a?b=1', yes, (u) => opened.push(u))).toBe(true);
    expect(openWebLink('http://127.0.0.1:3000/', yes, (u) => opened.push(u))).toBe(true);
    expect(opened).toEqual(['https://example.test/a?b=1', 'http://127.0.0.1:3000/']);
    expect(questions[0]).toContain('https://example.test/a?b=1');
  });

  it('never opens other schemes, garbage, or a declined link', () => {
    const opened: string[] = [];
    for (const uri of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(openWebLink(uri, () => true, (u) => opened.push(u))).toBe(false);
    }
    expect(openWebLink('https://example.test/', () => false, (u) => opened.push(u))).toBe(false);
    expect(opened).toEqual([]);
  });
});
