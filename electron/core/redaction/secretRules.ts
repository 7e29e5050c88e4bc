/**
 * What a secret looks like, for redaction at record time (see redactSecrets.ts).
 *
 * Where the rules come from: each rule names the gitleaks rule (config/gitleaks.toml in
 * github.com/gitleaks/gitleaks, MIT, read at b58d3f1, July 2026) it is derived from. We derive
 * rather than depend: the maintained npm rule set (secretlint's recommended preset) runs through
 * an asynchronous engine (`lintSource` returns a Promise) and the journal writes synchronously
 * inside its transactions; it also has no rule for JWTs, `Authorization:` values or `password=`
 * assignments. gitleaks' rules are written for RE2 (linear time); JavaScript's engine
 * backtracks, so every quantifier here is bounded and no group nests another unbounded one:
 * each start position costs at most a rule's longest match, so a scan is linear in the text.
 *
 * Redaction wants to catch more than a scanner does (a scanner must not cry wolf in CI, a
 * recording must not leak): lengths are widened (`ghp_` then 36 or more rather than exactly
 * 36) and gitleaks' entropy checks are replaced by "the value has a digit".
 *
 * Each rule is split into what is kept (`keep`: the kind, e.g. `ghp_`, or the context, e.g.
 * `password=`) and what is masked (`secret`), so the recording still reads naturally:
 * `ghp_****`. A `secret` never matches text that starts with `*`, which makes redaction
 * idempotent (the mask is never masked again).
 */
export interface SecretRule {
  id: string;
  /** The gitleaks rule ids it is derived from, or why it is Flotilla's own. */
  source: string;
  /**
   * Regex source of where a match starts (a literal: the kind or the keyword), scanned for
   * first; the whole rule is tried only there. Every match of the rule starts with it.
   */
  anchor: string;
  /** Regex source of the kept prefix (non-capturing groups only). */
  keep: string;
  /** Regex source of the masked part (non-capturing groups only). */
  secret: string;
  /** Regex source of a kept suffix (e.g. a private key's END line), if any. */
  after?: string;
  /**
   * The rule keys on context (`password=`, `Authorization:`), not on the secret's own shape; a
   * value that has a kind of its own keeps it too: `GH_TOKEN=ghp_****`.
   */
  isContext?: boolean;
}

/** `password` → `[pP][aA]…`: case-insensitive keywords without making the whole scan case-insensitive. */
export function anyCase(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))).join('');
}

/** The characters of a token's body: letters, digits, `_` and `-` (base64url); never `*`. */
const TOKEN = '[A-Za-z0-9_-]';
/**
 * Not preceded by a token character (JavaScript's \b treats `-` as a boundary, which we want),
 * or preceded by an escaped line break or tab (`\nghp_…` inside a JSON-encoded string), or by a
 * terminal escape sequence (`ESC[?25h` ends in a letter: `…25hsk-proj-…` in a recording).
 */
const START = '(?:(?<![A-Za-z0-9_])|(?<=\\\\[nrt])|(?<=\\x1b\\[[0-9;?]{0,32}[A-Za-z])|(?<=\\x1b[()][A-Za-z0-9]))';
/** A value in an assignment or header: up to whitespace, a quote, a separator or a backslash (JSON-escaped quotes). */
// Assignment rules start at the keyword (`DB_PASSWORD=` matches from `PASSWORD`): the name before
// it is kept anyway, and matching it would cost a 40-char look at every letter (10x slower).
const VALUE_CHAR = `[^\\s"'\`*\\\\,;&<>|]`;
const VALUE_REST = `[^\\s"'\`\\\\,;&<>|]`;

const AUTH_SCHEME = `(?:${['bearer', 'basic', 'token', 'digest', 'bot', 'apikey'].map(anyCase).join('|')})`;

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'private-key',
    anchor: '-----BEGIN',
    source: 'gitleaks private-key (BEGIN … PRIVATE KEY … END); an unterminated block at the end of the text is masked to the end',
    keep: `-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`,
    // Line breaks may be escaped (`\n` inside a JSON string: a tool call's arguments).
    secret: `(?=[\\sA-Za-z0-9+/=:,.-]|\\\\[nr])(?:[\\sA-Za-z0-9+/=:,.-]|\\\\[nr]){1,16384}?(?=-----END|$)`,
    after: `(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)?`,
  },
  {
    id: 'anthropic-api-key',
    anchor: 'sk-ant-',
    source: 'gitleaks anthropic-api-key, anthropic-admin-api-key (sk-ant-api03-…, sk-ant-admin01-…); any length from 20',
    keep: `${START}sk-ant-(?:api\\d\\d-|admin\\d\\d-)?`,
    secret: `(?=${TOKEN}{0,300}\\d)${TOKEN}{20,300}`,
  },
  {
    id: 'openai-api-key',
    anchor: 'sk-',
    source: 'gitleaks openai-api-key (sk-, sk-proj-, sk-svcacct-, sk-admin-); the T3BlbkFJ marker is not required',
    keep: `${START}sk-(?:proj-|svcacct-|admin-)?`,
    secret: `(?=${TOKEN}{0,300}\\d)${TOKEN}{20,300}`,
  },
  {
    id: 'github-token',
    anchor: 'gh[pousr]_',
    source: 'gitleaks github-pat, github-oauth, github-app-token, github-refresh-token (ghp_, gho_, ghu_, ghs_, ghr_ then 36)',
    keep: `${START}gh[pousr]_`,
    secret: `[A-Za-z0-9]{36,255}`,
  },
  {
    id: 'github-fine-grained-pat',
    anchor: 'github_pat_',
    source: 'gitleaks github-fine-grained-pat (github_pat_ then 82); any length from 22',
    keep: `${START}github_pat_`,
    secret: `[A-Za-z0-9_]{22,255}`,
  },
  {
    id: 'aws-access-key-id',
    anchor: 'A3T|AKIA|ASIA|ABIA|ACCA',
    source: 'gitleaks aws-access-token (AKIA, ASIA, ABIA, ACCA, A3T… then 16 of A-Z2-7)',
    keep: `${START}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)`,
    secret: `[A-Z2-7]{16}(?![A-Za-z0-9])`,
  },
  {
    id: 'slack-token',
    anchor: 'xox',
    source: 'gitleaks slack-bot-token, slack-user-token, slack-legacy-*-token, slack-config-*-token (xoxb-, xoxp-, xoxa-, xoxr-, xoxe-, xoxs-)',
    keep: `${START}xox[abeprs]-`,
    secret: `(?=[A-Za-z0-9.-]{0,300}\\d)[A-Za-z0-9][A-Za-z0-9.-]{9,300}`,
  },
  {
    id: 'slack-app-token',
    anchor: 'xapp-',
    source: 'gitleaks slack-app-token (xapp-N-…)',
    keep: `${START}xapp-`,
    secret: `\\d-[A-Za-z0-9-]{10,300}`,
  },
  {
    id: 'slack-webhook-url',
    anchor: 'hooks\\.slack\\.com/',
    source: 'gitleaks slack-webhook-url (hooks.slack.com/services|workflows|triggers/…)',
    keep: `hooks\\.slack\\.com/(?:services|workflows|triggers)/`,
    secret: `[A-Za-z0-9+/]{20,100}`,
  },
  {
    id: 'jwt',
    anchor: 'eyJ',
    source: 'gitleaks jwt (eyJ….eyJ….signature); the header is kept, payload and signature masked',
    keep: `${START}eyJ`,
    secret: `${TOKEN}{10,4096}\\.eyJ${TOKEN}{10,8192}\\.[A-Za-z0-9_\\-+/=]{0,4096}`,
  },
  {
    id: 'authorization-header',
    isContext: true,
    anchor: anyCase('authoriz'),
    source: 'gitleaks curl-auth-header (Authorization: Basic|Bearer|Token …), for any text rather than only curl lines (Proxy-Authorization too)',
    // The scheme is kept when there is one; a value is never the scheme itself (idempotency).
    keep: `${START}${anyCase('authorization')}["']?[ \\t]{0,3}[:=][ \\t]{0,3}["']?(?:${AUTH_SCHEME}[ \\t]{1,3}|(?!${AUTH_SCHEME}[ \\t]))`,
    secret: `${VALUE_CHAR}${VALUE_REST}{0,4096}`,
  },
  {
    id: 'password-assignment',
    isContext: true,
    anchor: `${anyCase('passw')}|${anyCase('passphrase')}|${anyCase('pwd')}`,
    source: 'gitleaks generic-api-key (its passw(or)d keyword), narrowed to assignments: password=…, "passwd": "…", PGPASSWORD=…',
    keep: `(?:${anyCase('passw')}(?:${anyCase('or')})?${anyCase('d')}|${anyCase('passphrase')}|${anyCase('pwd')})[A-Za-z0-9_.-]{0,20}\\\\?["']?[ \\t]{0,3}(?:=|:=|:)[ \\t]{0,3}\\\\?["']?`,
    // A quoted value runs to its closing quote (a password may hold spaces: "correct horse").
    secret: `(?:(?<=")[^"\\\\\\n*][^"\\\\\\n]{2,512}(?=\\\\?")|(?<=')[^'\\\\\\n*][^'\\\\\\n]{2,512}(?=')|${VALUE_CHAR}${VALUE_REST}{2,512})`,
  },
  {
    id: 'secret-assignment',
    isContext: true,
    anchor: `${anyCase('secret')}|${anyCase('token')}|${anyCase('api')}[_-]?${anyCase('key')}|${anyCase('access')}[_-]?${anyCase('key')}|${anyCase('private')}[_-]?${anyCase('key')}|${anyCase('credential')}`,
    source:
      'gitleaks generic-api-key (keywords secret, token, api key, access key, credential), narrowed to assignments whose value has 12+ characters and a digit; covers AWS_SECRET_ACCESS_KEY=…',
    keep: `(?:${anyCase('secret')}|${anyCase('token')}|${anyCase('api')}[_-]?${anyCase('key')}|${anyCase('access')}[_-]?${anyCase('key')}|${anyCase('private')}[_-]?${anyCase('key')}|${anyCase('credential')})[A-Za-z0-9_.-]{0,20}\\\\?["']?[ \\t]{0,3}(?:=|:=|:)[ \\t]{0,3}\\\\?["']?`,
    secret: `(?=${VALUE_REST}{0,512}\\d)${VALUE_CHAR}${VALUE_REST}{11,512}`,
  },
];

/** The mask that replaces a secret: short, fixed, never matched by a rule again. */
export const MASK = '****';
