import { describe, expect, it } from 'vitest';
import { createSecretRedactor, redactSecrets, redactStrings } from './redactSecrets.js';
import { SECRET_RULES } from './secretRules.js';

// Fake secrets of each shape, built at run time (a scanner reading this file finds none whole).
const alnum = (n: number, seed = 7) => Array.from({ length: n }, (_, i) => 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8'[(i * seed) % 27]).join('');
const ghp = `ghp_${alnum(36)}`;

/** [rule, text, redacted]: what each rule masks and the shape it keeps. */
const CASES: [string, string, string][] = [
  ['openai-api-key', `key sk-proj-${alnum(48)} end`, 'key sk-proj-**** end'],
  ['openai-api-key', `OPENAI_API_KEY=sk-${alnum(48)}`, 'OPENAI_API_KEY=sk-****'],
  ['openai-api-key', `sk-svcacct-${alnum(40)}`, 'sk-svcacct-****'],
  ['anthropic-api-key', `"sk-ant-api03-${alnum(93)}AA"`, '"sk-ant-api03-****"'],
  ['github-token', `export GH_TOKEN=${ghp}`, 'export GH_TOKEN=ghp_****'],
  ['github-token', `gho_${alnum(36)} ghs_${alnum(36)} ghu_${alnum(36)} ghr_${alnum(36)}`, 'gho_**** ghs_**** ghu_**** ghr_****'],
  ['github-fine-grained-pat', `github_pat_${alnum(22)}_${alnum(59)}`, 'github_pat_****'],
  ['aws-access-key-id', 'id AKIAIOSFODNN7EXAMPLE, ASIAY34FZKBOKMUTVV7A', 'id AKIA****, ASIA****'],
  ['secret-assignment', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = ****'],
  ['secret-assignment', '{"client_secret": "abc123def456ghi789"}', '{"client_secret": "****"}'],
  ['slack-token', `xoxb-123456789012-1234567890123-${alnum(24)}`, 'xoxb-****'],
  ['slack-token', `xoxp-123456789012-123456789012-123456789012-${alnum(32)}`, 'xoxp-****'],
  ['slack-app-token', `xapp-1-A0123456789-1234567890123-${alnum(40)}`, 'xapp-****'],
  ['slack-webhook-url', `https://hooks.slack.com/services/T0000/B0000/${alnum(24)}`, 'https://hooks.slack.com/services/****'],
  ['private-key', `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${alnum(40)}\n${alnum(64)}==\n-----END RSA PRIVATE KEY-----\nnext`, '-----BEGIN RSA PRIVATE KEY-----\n****\n-----END RSA PRIVATE KEY-----\nnext'],
  ['private-key', `-----BEGIN OPENSSH PRIVATE KEY-----\n${alnum(70)}`, '-----BEGIN OPENSSH PRIVATE KEY-----\n****'],
  ['jwt', `Cookie: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${alnum(43)};`, 'Cookie: eyJ****;'],
  ['authorization-header', `curl -H "Authorization: Bearer ${alnum(30)}" https://x.test`, 'curl -H "Authorization: Bearer ****" https://x.test'],
  ['authorization-header', 'authorization: Basic dXNlcjpwYXNzd29yZA==', 'authorization: Basic ****'],
  ['authorization-header', 'Proxy-Authorization: abc123def456', 'Proxy-Authorization: ****'],
  ['password-assignment', 'DB_PASSWORD=hunter22 npm start', 'DB_PASSWORD=**** npm start'],
  ['password-assignment', '{"password":"correct horse"}', '{"password":"****"}'],
  ['password-assignment', 'PGPASSWORD: s3cr3t!', 'PGPASSWORD: ****'],
  ['password-assignment', '{\\"passwd\\":\\"tr0ub4dor\\"}', '{\\"passwd\\":\\"****\\"}'],
];

/** Text that looks a little like a secret and must stay as it is. */
const NEAR_MISSES = [
  'commit 3f786850e387550fdab836ed7e6dc881de23001b (HEAD -> main)',
  'request 123e4567-e89b-12d3-a456-426614174000 done in 12 ms',
  'the password is in the vault; rotate the token weekly; api key docs',
  'max_tokens=4096 input_tokens: 1234 tokens: 99',
  'disk-usage-report-2024-01-01-final.csv and task-0123456789abcdefghij',
  'scikit-learn sk-learn sk-12 ghp_short gho_ github_pat_x',
  'AKIAshort AKIAIOSFODNN7EXAMPL akiaiosfodnn7example',
  'xoxb- xoxb-abc eyJhbGciOi (not a JWT) eyJ.eyJ.',
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----',
  'const re = /-----BEGIN PRIVATE KEY-----/; // a scanner rule',
  'Authorization: Bearer ****',
  'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= integrity',
  'ordinary words, Ünïcödé, emoji 😀, and \x1b[32mcolours\x1b[0m',
];

describe('redactSecrets', () => {
  it.each(CASES)('%s: %j', (_rule, text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it('has a case for every rule', () => {
    expect(new Set(CASES.map(([rule]) => rule))).toEqual(new Set(SECRET_RULES.map((rule) => rule.id)));
  });

  it.each(NEAR_MISSES)('leaves a near miss alone: %j', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    for (const [, text] of CASES) {
      const once = redactSecrets(text);
      expect(redactSecrets(once)).toBe(once);
    }
    const extras = ['my-deploy-phrase-1'];
    const once = redactSecrets('a my-deploy-phrase-1 b', extras);
    expect(once).toBe('a **** b');
    expect(redactSecrets(once, extras)).toBe(once);
  });

  it('masks a token inside a JSON-encoded string and right after a terminal escape', () => {
    expect(redactSecrets(JSON.stringify(`line\n${ghp}`))).toBe('"line\\nghp_****"');
    expect(redactSecrets(`\x1b[?25h${ghp}\x1b(B${ghp}`)).toBe('\x1b[?25hghp_****\x1b(Bghp_****');
  });

  it('masks a header value whole, keeping the kind of a token in it', () => {
    expect(redactSecrets(`Authorization: token ${ghp}`)).toBe('Authorization: token ghp_****');
    expect(redactSecrets('Authorization: token ghp_****')).toBe('Authorization: token ghp_****');
  });

  it("masks the user's extra secrets, longest first, and ignores ones too short to be secrets", () => {
    expect(redactSecrets('v=abcdef123 w=abcdef12345 x=dev', ['abcdef123', 'abcdef12345', 'dev'])).toBe('v=**** w=**** x=dev');
  });

  it('reads the extra secrets on each call (a newly marked value is masked at once)', () => {
    let extras: string[] = [];
    const redactor = createSecretRedactor(() => extras);
    expect(redactor.redact('value opensesame42')).toBe('value opensesame42');
    extras = ['opensesame42'];
    expect(redactor.redact('value opensesame42')).toBe('value ****');
    expect(redactor.endsWithExtraSecretPrefix('value opens')).toBe(5);
  });

  it('redacts every string of a payload, keys included, and keeps the object when nothing changed', () => {
    const payload = { kind: 'agent_message', text: `use ${ghp}`, nested: [{ [ghp]: 1 }, 2, null] };
    expect(redactStrings(payload, redactSecrets)).toEqual({ kind: 'agent_message', text: 'use ghp_****', nested: [{ 'ghp_****': 1 }, 2, null] });
    const clean = { kind: 'x', text: 'nothing here' };
    expect(redactStrings(clean, redactSecrets)).toBe(clean);
  });

  it('stays linear on hostile input (no catastrophic backtracking)', () => {
    // Many anchors with no end: each costs at most a rule's bounded length.
    const hostile = ['-----BEGIN PRIVATE KEY-----', 'password=', 'Authorization: ', 'sk-', 'eyJ', 'secret_token: '].map((a) => `${a}${'a'.repeat(200)}!`).join('').repeat(500);
    const started = performance.now();
    redactSecrets(hostile);
    // ~700 KB; the generous bound only catches an exponential blow-up, not a slow machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
