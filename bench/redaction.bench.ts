/**
 * `npm run bench -- redaction [MB]`: what redacting secrets at record time costs (issue 12). 50 MB
 * (by default) of mixed terminal output: test-runner lines with colours, git, ls, stack traces,
 * npm warnings, JSON logs, compiler errors, prose; one line in 50 holds a secret or a keyword a
 * rule keys on ("token", "password"). Measured three ways, each on the same text:
 *   whole  — redactSecrets over the whole text (the journal's and the importers' path);
 *   stream — StreamRedactor in 4 KB chunks, as the terminal recorder feeds it;
 *   extras — whole, with 20 user-marked secret values besides the rules.
 * Last line: `redaction: whole_mbps=<MB/s> stream_mbps=<MB/s> extras_mbps=<MB/s> ratio=<stream/whole>`.
 */
import { createSecretRedactor, redactSecrets } from '../electron/core/redaction/redactSecrets.js';
import { StreamRedactor } from '../electron/core/redaction/streamRedactor.js';
import { runBench } from './lib/runBench.js';
import { fixed } from './lib/stats.js';

const MB = Number(process.argv[2] ?? 50);
const CHUNK = 4096;

const LINES = [
  '\x1b[32m✓\x1b[0m test/foo.test.ts (12 tests) 345ms\r\n',
  'commit 3f786850e387550fdab836ed7e6dc881de23001b\r\n',
  'drwxr-xr-x  5 user user 4096 Dec  8 00:00 node_modules\r\n',
  '    at Object.<anonymous> (/home/user/repo/src/index.ts:12:5)\r\n',
  'npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.\r\n',
  '{"level":"info","msg":"request done","status":200,"durationMs":12,"requestId":"123e4567-e89b-12d3-a456-426614174000"}\r\n',
  "src/app.ts(12,5): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.\r\n",
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore\r\n',
];
const RARE = [
  `export GH_TOKEN=ghp_${'aB3dE5gH7jK9'.repeat(3)}\r\n`,
  'the token was refreshed; password prompt skipped\r\n',
  `curl -H "Authorization: Bearer ${'x1y2z3'.repeat(6)}" https://api.example.test\r\n`,
];

function mixedOutput(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const line = i % 50 === 49 ? (RARE[(i / 50) % RARE.length | 0] ?? '') : (LINES[i % LINES.length] ?? '');
    parts.push(line);
    length += line.length;
  }
  return parts.join('');
}

function mbps(chars: number, ms: number): number {
  return chars / (1024 * 1024) / (ms / 1000);
}

await runBench('redaction', async () => {
  const text = mixedOutput(MB * 1024 * 1024);
  // Warm-up: the regexes compile and the engine tiers up on a slice first.
  redactSecrets(text.slice(0, 1024 * 1024));

  let started = performance.now();
  const whole = redactSecrets(text);
  const wholeMbps = mbps(text.length, performance.now() - started);

  const stream = new StreamRedactor(createSecretRedactor());
  started = performance.now();
  let streamed = 0;
  for (let at = 0; at < text.length; at += CHUNK) for (const piece of stream.push(at, text.slice(at, at + CHUNK))) streamed += piece.data.length;
  for (const piece of stream.flush()) streamed += piece.data.length;
  const streamMbps = mbps(text.length, performance.now() - started);
  if (streamed !== whole.length) throw new Error(`streamed ${streamed} chars, whole ${whole.length}: the two ways disagree`);

  const extras = Array.from({ length: 20 }, (_, i) => `marked-secret-value-${i}-${'q'.repeat(i)}`);
  started = performance.now();
  redactSecrets(text, extras);
  const extrasMbps = mbps(text.length, performance.now() - started);

  console.log(`redaction of ${MB} MB of mixed terminal output (${text.length - whole.length} chars fewer after masking)`);
  console.log(`redaction: whole_mbps=${fixed(wholeMbps, 1)} stream_mbps=${fixed(streamMbps, 1)} extras_mbps=${fixed(extrasMbps, 1)} ratio=${fixed(streamMbps / wholeMbps, 2)}`);
});
