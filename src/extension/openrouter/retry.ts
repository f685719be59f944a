/**
 * When to try a failed request again and how long to wait: exponential back-off
 * with full jitter, `Retry-After` honoured (plus a little jitter so clients that
 * were limited together do not return together), bounded by attempts and by total
 * time. Pure decisions plus one loop helper for idempotent GETs.
 * Never decides to retry once tokens were delivered: that would duplicate a reply.
 * No `vscode` import.
 */
import { sleep, type Clock } from '../base/clock';
import { cancelledError, isOpenRouterError, type OpenRouterError } from './errors';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts if it would begin later than this after the first attempt. */
  readonly maxTotalMs: number;
  /** Upper bound of the random extra wait added to a server-given `Retry-After`. */
  readonly retryAfterJitterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 16_000,
  maxTotalMs: 60_000,
  retryAfterJitterMs: 1_000,
};

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: 'not_retryable' | 'delivered' | 'attempts' | 'time_budget' };

export interface RetryInput {
  readonly error: OpenRouterError;
  /** Attempts already made (1 after the first failure). */
  readonly attempts: number;
  /** Time since the first attempt started. */
  readonly elapsedMs: number;
  readonly policy: RetryPolicy;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/** Full-jitter exponential delay for the n-th retry (n ≥ 1): uniform in [0, min(max, base·2^(n−1))). */
export function backoffDelay(retryNumber: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { error, attempts, elapsedMs, policy, random } = input;
  if (error.partial.delivered) return { retry: false, reason: 'delivered' };
  // An open circuit already means "not now"; retrying it in a loop would defeat it.
  if (!error.retryable || error.kind === 'circuit_open' || error.kind === 'cancelled') {
    return { retry: false, reason: 'not_retryable' };
  }
  if (attempts >= policy.maxAttempts) return { retry: false, reason: 'attempts' };
  const delayMs =
    error.retryAfterMs !== undefined
      ? error.retryAfterMs + Math.floor(random() * policy.retryAfterJitterMs)
      : backoffDelay(attempts, policy, random);
  if (elapsedMs + delayMs > policy.maxTotalMs) return { retry: false, reason: 'time_budget' };
  return { retry: true, delayMs };
}

export interface RetryNotice {
  /** The attempt about to start (2 for the first retry). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: OpenRouterError;
}

export interface RetryLoopOptions {
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly random: () => number;
  readonly signal?: AbortSignal | undefined;
  readonly onRetry?: (notice: RetryNotice) => void;
}

/**
 * Runs an idempotent operation until it succeeds, fails for good, or runs out
 * of attempts/time. `operation` must throw `OpenRouterError`s; anything else is
 * a bug and is rethrown unchanged.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryLoopOptions): Promise<T> {
  const started = options.clock.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isOpenRouterError(error)) throw error;
      const decision = decideRetry({
        error,
        attempts: attempt,
        elapsedMs: options.clock.now() - started,
        policy: options.policy,
        random: options.random,
      });
      if (!decision.retry) throw error;
      options.onRetry?.({ attempt: attempt + 1, delayMs: decision.delayMs, error });
      try {
        await sleep(options.clock, decision.delayMs, options.signal);
      } catch {
        throw cancelledError();
      }
    }
  }
}
