/**
 * Undo actions for a benchmark run (stop hosts, close browsers, delete temp dirs), run in
 * reverse order of registration: at the end, on an error, and on Ctrl-C / SIGTERM. Each
 * action runs once; one failing does not keep the others from running.
 */
export class CleanupStack {
  private readonly actions: { label: string; run: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up…`);
    void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Registers `run`; returns a function that runs it now (and drops it from the stack). */
  defer(label: string, run: () => Promise<void> | void): () => Promise<void> {
    const action = { label, run };
    this.actions.push(action);
    return async () => {
      const index = this.actions.indexOf(action);
      if (index === -1) return;
      this.actions.splice(index, 1);
      await runQuietly(action);
    };
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
      while (this.actions.length > 0) {
        const action = this.actions.pop();
        if (action) await runQuietly(action);
      }
    })();
    return this.running;
  }
}

async function runQuietly(action: { label: string; run: () => Promise<void> | void }): Promise<void> {
  try {
    await action.run();
  } catch (error) {
    console.error(`cleanup "${action.label}" failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
