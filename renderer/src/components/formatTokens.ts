/** Compact token counts for cards: "0 tok", "850 tok", "12.3k tok", "124k tok", "1.2M tok". */
export function formatTokens(count: number): string {
  const n = Math.max(0, Math.round(count));
  if (n < 1_000) return `${n} tok`;
  if (n < 100_000) return `${trimZero((n / 1_000).toFixed(1))}k tok`;
  if (n < 1_000_000) return `${Math.round(n / 1_000)}k tok`;
  return `${trimZero((n / 1_000_000).toFixed(1))}M tok`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** The full count for a tooltip: "12,345 input + 678 output tokens". */
export function describeUsage(usage: { inputTokens: number; outputTokens: number }): string {
  const f = new Intl.NumberFormat('en-US');
  return `${f.format(usage.inputTokens)} input + ${f.format(usage.outputTokens)} output tokens`;
}
