/** What a terminal whose process ended says under its screen. */
export function exitText(exitCode: number | null, reason: string | null): string {
  const head = exitCode === null ? '[process exited]' : `[process exited with code ${exitCode}]`;
  return reason ? `${head} ${reason}` : head;
}
