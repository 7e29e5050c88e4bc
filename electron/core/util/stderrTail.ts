/** 4 KiB of a child's stderr explain a crash; more would flood a task card or a log line. */
const STDERR_TAIL_CHARS = 4_096;

/**
 * Keeps the end of a child process's stderr, so that when it dies the reason can name the last
 * thing it said (`exited with code 1: Error: Cannot find module …`).
 */
export function tailStderr(child: { readonly stderr: NodeJS.ReadableStream | null }): { explain(reason: string): string } {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL_CHARS);
  });
  return {
    explain: (reason) => {
      const lastLine = tail.trim().split('\n').at(-1);
      return lastLine ? `${reason}: ${lastLine}` : reason;
    },
  };
}
