import fs from 'node:fs';
import path from 'node:path';
import { REAL_TIMERS, type TimerApi } from './timers.js';

/** The parsed JSON in `file`, or undefined when it is missing or not JSON (a hand edit, a torn write of an older version). */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Writes `value` as JSON so that a reader (or the next start after a crash) sees the old file or
 * the new one, never half of one: a temporary file beside it, then a rename over it. Async:
 * nothing on the main process waits for the disk.
 */
export async function writeJsonFileAtomically(file: string, value: unknown): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await fs.promises.rename(temporary, file);
}

/**
 * Saves the latest of many values once things are quiet for `delayMs`, one write at a time (two
 * writes in flight would race on the same temporary file). `flush` writes a pending value now.
 */
export class DebouncedJsonFile {
  private pending: { value: unknown } | null = null;
  private timer: unknown = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly delayMs: number,
    private readonly timers: TimerApi = REAL_TIMERS,
  ) {}

  schedule(value: unknown): void {
    this.pending = { value };
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Writes what is pending (if anything) after the write in progress; resolves when it is on disk. */
  flush(): Promise<void> {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending) {
      this.writing = this.writing
        .then(() => writeJsonFileAtomically(this.file, pending.value))
        .catch((error: unknown) => console.error(`flotilla: could not save ${this.file}`, error));
    }
    return this.writing;
  }
}
