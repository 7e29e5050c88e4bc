import { CleanupStack } from './cleanupStack.js';

/**
 * Runs a benchmark's body with a cleanup stack, then exits: the cleanup runs whatever happens,
 * and a timer left behind by a fixture (startFlotilla's 20 s start-up timeout is never
 * cleared) does not hold the process open. An error is printed and exits 1.
 */
export async function runBench(name: string, body: (cleanup: CleanupStack) => Promise<void>): Promise<never> {
  const cleanup = new CleanupStack();
  let exitCode = 0;
  try {
    await body(cleanup);
  } catch (error) {
    console.error(`${name}: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    exitCode = 1;
  } finally {
    await cleanup.run();
  }
  process.exit(exitCode);
}
