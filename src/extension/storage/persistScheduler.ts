/**
 * Decides when the in-memory database is written out: at once (on a timer of
 * 0, never inside the caller's call) when a message settles, debounced for
 * everything else, at most `maxWaitMs` after the first unsaved change. One
 * write at a time; a failed write is retried with backoff while changes remain.
 * Knows nothing about files: it calls `persist` and reads change counters.
 * No `vscode` import.
 */
import type { ChangeUrgency } from './conversationStore';
import { StorageError } from './errors';

export interface PersistSchedulerOptions {
  /** Quiet time before a debounced write. */
  readonly debounceMs: number;
  /** Upper bound on how long a change waits while changes keep coming (a long stream). */
  readonly maxWaitMs: number;
  /** First retry delay after a failed write; doubles up to a minute. */
  readonly retryMs?: number;
}

export interface PersistTarget {
  /** Writes everything changed so far; resolves when it is durable. */
  persist(): Promise<void>;
  /** Counter of changes made so far. */
  changeSeq(): number;
  /** Highest change counter known to be on disk. */
  persistedSeq(): number;
  /** A write failed (the scheduler will retry); for logging / telling the user. */
  onError(error: unknown): void;
}

const MAX_RETRY_MS = 60_000;

export class PersistScheduler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private urgentPending = false;
  private firstPendingAt: number | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  private disposed = false;

  constructor(
    private readonly target: PersistTarget,
    private readonly options: PersistSchedulerOptions,
  ) {}

  request(urgency: ChangeUrgency): void {
    if (this.disposed) return;
    const now = Date.now();
    this.firstPendingAt ??= now;
    if (urgency === 'now') {
      this.urgentPending = true;
      this.schedule(now);
    } else if (!this.urgentPending) {
      this.schedule(Math.min(now + this.options.debounceMs, this.firstPendingAt + this.options.maxWaitMs));
    }
  }

  /** Resolves once every change made before the call is on disk; rejects if a write fails. */
  async flush(): Promise<void> {
    const target = this.target.changeSeq();
    while (this.target.persistedSeq() < target) {
      if (this.running) {
        await this.running;
        continue;
      }
      this.cancelTimer();
      const before = this.target.persistedSeq();
      await this.run();
      if (this.target.persistedSeq() <= before) {
        throw new StorageError('internal', 'A history write finished without saving the pending changes.');
      }
    }
  }

  /** Stops scheduling; waits for a write in progress. Call flush() first to save pending changes. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelTimer();
    await this.running;
  }

  private schedule(at: number): void {
    this.cancelTimer();
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - Date.now()));
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.running) {
      // The write in progress may have exported before the newest change; go again after it.
      void this.running.then(() => this.fire());
      return;
    }
    if (this.target.persistedSeq() >= this.target.changeSeq()) {
      this.resetPending();
      return;
    }
    this.run().catch(() => undefined);
  }

  private run(): Promise<void> {
    this.resetPending();
    const run = this.target.persist().then(
      () => {
        this.failures = 0;
        // Changes made while the write was in flight still need one.
        if (!this.disposed && this.target.persistedSeq() < this.target.changeSeq() && this.timer === undefined) {
          this.request('debounced');
        }
      },
      (error: unknown) => {
        this.failures++;
        this.target.onError(error);
        if (!this.disposed) {
          const retryMs = Math.min(MAX_RETRY_MS, (this.options.retryMs ?? 1_000) * 2 ** (this.failures - 1));
          this.schedule(Date.now() + retryMs);
        }
        throw error;
      },
    );
    // `running` never rejects: it only tells others when the write is over.
    const settled: Promise<void> = run.then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      if (this.running === settled) this.running = undefined;
    });
    this.running = settled;
    return run;
  }

  private resetPending(): void {
    this.urgentPending = false;
    this.firstPendingAt = undefined;
  }
}
