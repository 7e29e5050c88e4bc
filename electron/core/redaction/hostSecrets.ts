import { createSecretRedactor, type SecretRedactor } from './redactSecrets.js';

/**
 * Names that announce a secret: their values are masked even when the user did not list them
 * (`OPENAI_API_KEY`, `GH_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `PGPASSWORD`, `NPM_AUTH_TOKEN`).
 */
const SECRET_NAME = /(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)$/i;

export interface HostSecretSources {
  /** The host's environment. */
  env: NodeJS.ProcessEnv;
  /** The `secretEnvVars` setting: names the user marked secret. */
  secretEnvVars: () => readonly string[];
  /** Keys Flotilla stores (provider API keys), decrypted. */
  storedKeys: () => readonly string[];
}

/** The values to mask besides what the rules recognise. */
export function hostSecretValues(sources: HostSecretSources): string[] {
  const names = new Set(sources.secretEnvVars());
  const fromEnv = Object.entries(sources.env)
    .filter(([name, value]) => value !== undefined && (names.has(name) || SECRET_NAME.test(name)))
    .map(([, value]) => value as string);
  return [...fromEnv, ...sources.storedKeys()];
}

/**
 * The host's redactor: the rules, plus the values of secret environment variables and the stored
 * keys. Every journal row and terminal chunk asks for the list, so it is read at most once a
 * second (1000 ms: reading the key file per chunk would cost more than the redaction; a key
 * stored now is masked from the next second on, and it was never shown to an agent before).
 */
export function hostSecretRedactor(sources: HostSecretSources, cacheMs = 1000): SecretRedactor {
  // The real clock, not the host's (a test's fake clock may stand still).
  const clock = () => performance.now();
  let cached: string[] = [];
  let readAt = Number.NEGATIVE_INFINITY;
  return createSecretRedactor(() => {
    const now = clock();
    if (now - readAt >= cacheMs) {
      try {
        cached = hostSecretValues(sources);
      } catch (error) {
        // An unreadable key file must not stop the journal; the rules still apply.
        console.error('flotilla: reading the secrets to redact failed:', error);
      }
      readAt = now;
    }
    return cached;
  });
}
