/**
 * Batches token deltas before they cross to the webview: one post per frame-ish
 * interval instead of one per token keeps the webview's main thread free and the
 * host's postMessage overhead flat however fast a model streams. No `vscode` import.
 */
import { gatherDelta } from '../../shared/streamText';

export interface Delta {
  conversationId: string;
  messageId: string;
  content: string;
  reasoning: string;
}

export interface CoalescerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class StreamCoalescer {
  private pending = new Map<string, Delta>();
  private timer: unknown;

  constructor(
    private readonly flushTo: (delta: Delta) => void,
    private readonly intervalMs = 33,
    private readonly timers: CoalescerTimers = {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
  ) {}

  push(delta: Delta): void {
    gatherDelta(this.pending, delta.messageId, delta, () => ({ ...delta }));
    this.timer ??= this.timers.setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends everything pending now (before a completion message, so order holds). */
  flush(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    for (const delta of batch.values()) this.flushTo(delta);
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
