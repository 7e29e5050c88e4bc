import type { AgentTurnHandle } from '../agent/agentRunner.js';

/** A task's place among the running: taken when it leaves the queue, given back when its turn ends. */
export interface TurnSlot {
  /** Set once the agent worker is started (setup runs before it). */
  handle: AgentTurnHandle | null;
  /** Aborts the setup script, or a turn that has not started its worker yet. */
  abort: AbortController;
  /** Why we stopped it, so the outcome maps to the right status. */
  stopIntent: 'user' | 'shutdown' | null;
}

/**
 * Decides when a task's turn starts: at most `maxRunning` turns hold a slot at once, the rest
 * wait, oldest first. It knows nothing of statuses: the TaskRunner moves the task and runs the turn.
 */
export class TaskScheduler {
  /** Tasks holding a slot, from the moment they are picked from the queue until their turn ends. */
  private readonly running = new Map<string, TurnSlot>();
  /** The message each queued task will start its next turn with, in queue order. */
  private readonly queue = new Map<string, string>();
  private readonly idle = new Set<() => void>();
  private isDisposed = false;

  constructor(
    private readonly deps: {
      /** Read at each pass: a raised limit starts waiting tasks at the next `schedule`. */
      maxRunning: () => number;
      /** Runs the task's turn in its slot; the slot is given back when the promise settles. */
      runTurn: (taskId: string, message: string, slot: TurnSlot) => Promise<void>;
      /** A turn threw: a bug in the runner, reported on the task. */
      onDidCrash: (taskId: string, error: unknown) => void;
      /** After each pass that could start turns (to keep a spare worker only while one could start). */
      onDidSchedule: () => void;
    },
  ) {}

  /** Queues the task's next turn and starts it when a slot is free. */
  enqueue(taskId: string, message: string): void {
    this.queue.set(taskId, message);
    this.schedule();
  }

  /** Takes a waiting task out of the queue; false when it was not waiting. */
  dequeue(taskId: string): boolean {
    return this.queue.delete(taskId);
  }

  slotOf(taskId: string): TurnSlot | undefined {
    return this.running.get(taskId);
  }

  isRunning(taskId: string): boolean {
    return this.running.has(taskId);
  }

  /** How many tasks hold a slot right now. */
  get runningCount(): number {
    return this.running.size;
  }

  runningTaskIds(): string[] {
    return [...this.running.keys()];
  }

  /** A slot is free, or a turn that holds one has not taken its worker yet (still setting up). */
  couldUseSpare(): boolean {
    if (this.running.size < this.deps.maxRunning()) return true;
    return [...this.running.values()].some((slot) => slot.handle === null);
  }

  /** Starts waiting tasks while slots are free. */
  schedule(): void {
    if (this.isDisposed) return;
    this.startQueued();
    this.deps.onDidSchedule();
  }

  /** Resolves once the task holds no slot. */
  whenSettled(taskId: string): Promise<void> {
    if (!this.running.has(taskId)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.running.has(taskId)) return;
        this.idle.delete(check);
        resolve();
      };
      this.idle.add(check);
    });
  }

  /** Starts nothing more and forgets the queue; turns holding a slot are the runner's to stop. */
  dispose(): void {
    this.isDisposed = true;
    this.queue.clear();
  }

  private startQueued(): void {
    const maxRunning = this.deps.maxRunning();
    for (const [taskId, message] of this.queue) {
      if (this.running.size >= maxRunning) return;
      // Its previous turn is still releasing its slot: this one starts from that release's schedule().
      if (this.running.has(taskId)) continue;
      this.queue.delete(taskId);
      // The slot is taken now, synchronously: the turn's own set-up is async and must not
      // let the next loop iteration over-fill the limit.
      const slot: TurnSlot = { handle: null, abort: new AbortController(), stopIntent: null };
      this.running.set(taskId, slot);
      void this.deps
        .runTurn(taskId, message, slot)
        .catch((error: unknown) => this.deps.onDidCrash(taskId, error))
        .finally(() => {
          this.running.delete(taskId);
          for (const notify of this.idle) notify();
          this.schedule();
        });
    }
  }
}
