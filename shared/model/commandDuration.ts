/**
 * A command's wall time for people, the same in the transcript and the Agent terminal:
 * "85 ms", "1.4 s", "2m 03s". Input in ms.
 */
export function formatCommandDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
}
