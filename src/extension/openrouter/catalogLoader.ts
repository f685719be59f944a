/**
 * Keeps the model list loaded. Without it every model is "unknown": no pre-flight
 * price estimate for the budget, and an 8,192-token context guess even for 200k
 * models. A first run used to try once (before the key was set), fail, and never try
 * again; now a failed load is retried with growing delays until it succeeds, and the
 * host reloads it when the key (or the endpoint) changes. No `vscode` import.
 */
import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ModelCatalog } from './catalog';

/** Delays between attempts; the last one repeats. */
export const CATALOG_RETRY_DELAYS_MS: readonly number[] = [2_000, 5_000, 15_000, 60_000, 300_000];

export class CatalogLoader {
  private timer: TimerHandle | undefined;
  private failures = 0;
  private disposed = false;

  constructor(
    private readonly catalog: Pick<ModelCatalog, 'get' | 'refresh' | 'current'>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly delays: readonly number[] = CATALOG_RETRY_DELAYS_MS,
  ) {}

  /** Loads (disk, else network) and keeps retrying in the background until a list is there. */
  start(): void {
    void this.attempt(() => this.catalog.get());
  }

  /** Fetches again now (the key or the endpoint changed); failures fall back to the retry schedule. */
  reload(): void {
    this.cancelTimer();
    this.failures = 0;
    void this.attempt(() => this.catalog.refresh());
  }

  /** Attempts that failed since the last success (for tests and diagnostics). */
  get failedAttempts(): number {
    return this.failures;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private async attempt(load: () => Promise<unknown>): Promise<void> {
    if (this.disposed) return;
    try {
      await load();
      this.failures = 0;
    } catch (error) {
      if (this.disposed) return;
      const delay = this.delays[Math.min(this.failures, this.delays.length - 1)] ?? 60_000;
      this.failures++;
      this.log.warn(`Model list not available yet (${error instanceof Error ? error.message : String(error)}); trying again in ${Math.round(delay / 1000)} s.`);
      this.cancelTimer();
      // Keeps a saved list if there is one: the retry then only refreshes it.
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        void this.attempt(() => (this.catalog.current() ? this.catalog.refresh() : this.catalog.get()));
      }, delay);
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
