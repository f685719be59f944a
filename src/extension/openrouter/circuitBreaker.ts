/**
 * Circuit breakers keyed by endpoint ("chat", "models", …) and by model
 * ("model:<id>") for provider failures. closed → open after N consecutive
 * failures → half-open once the cool-down has passed → one trial request:
 * success closes, failure reopens. Owns only state and its change events; which
 * errors count is decided by the caller (`countsAsFailure` below), so user errors
 * (400/401/402/403) never trip it. No timers: state moves lazily when asked, so
 * nothing outlives its owner. No `vscode` import.
 */
import type { Clock } from '../base/clock';
import type { OpenRouterErrorKind } from './errors';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitOptions {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
}

export const DEFAULT_CIRCUIT_OPTIONS: CircuitOptions = { failureThreshold: 5, cooldownMs: 30_000 };

export interface CircuitChange {
  readonly key: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** When an open circuit will let a trial through (clock time); set for `open`. */
  readonly retryAt?: number;
  readonly consecutiveFailures: number;
}

export type CircuitPermit = { readonly ok: true } | { readonly ok: false; readonly retryInMs: number };

export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    readonly key: string,
    private readonly options: CircuitOptions,
    private readonly clock: Clock,
    private readonly onChange: (change: CircuitChange) => void = () => {},
  ) {}

  get state(): CircuitState {
    this.refresh();
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Clock time at which an open circuit admits its trial; undefined unless open. */
  get retryAt(): number | undefined {
    this.refresh();
    return this.current === 'open' ? this.openedAt + this.options.cooldownMs : undefined;
  }

  /**
   * Asks to send a request. In half-open only one trial is admitted until it
   * reports back; everyone else fails fast as if still open.
   */
  tryAcquire(): CircuitPermit {
    this.refresh();
    if (this.current === 'closed') return { ok: true };
    if (this.current === 'half_open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return { ok: true };
    }
    const retryAt = this.openedAt + this.options.cooldownMs;
    return { ok: false, retryInMs: Math.max(0, retryAt - this.clock.now()) };
  }

  recordSuccess(): void {
    this.trialInFlight = false;
    this.failures = 0;
    this.transition('closed');
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures++;
    if (this.current === 'half_open' || (this.current === 'closed' && this.failures >= this.options.failureThreshold)) {
      this.openedAt = this.clock.now();
      this.transition('open');
    } else if (this.current === 'open') {
      // A request admitted before the circuit opened failed late: restart the cool-down.
      this.openedAt = this.clock.now();
    }
  }

  /** The request ended with an outcome that says nothing about health (cancel, user error). */
  release(): void {
    this.trialInFlight = false;
  }

  private refresh(): void {
    if (this.current === 'open' && this.clock.now() - this.openedAt >= this.options.cooldownMs) {
      this.transition('half_open');
    }
  }

  private transition(to: CircuitState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.onChange({
      key: this.key,
      from,
      to,
      consecutiveFailures: this.failures,
      ...(to === 'open' ? { retryAt: this.openedAt + this.options.cooldownMs } : {}),
    });
  }
}

export interface CircuitSnapshot {
  readonly key: string;
  readonly state: CircuitState;
  readonly consecutiveFailures: number;
  readonly retryAt: number | undefined;
}

/** All breakers of one client, created on first use, with one change stream for the UI. */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly listeners = new Set<(change: CircuitChange) => void>();
  /** One object shared by every breaker, which reads it on each decision: `configure` reaches them all at once. */
  private readonly options: { failureThreshold: number; cooldownMs: number };

  constructor(
    options: CircuitOptions,
    private readonly clock: Clock,
  ) {
    this.options = { ...options };
  }

  /** New threshold or cool-down for every breaker, existing ones included (a settings change, no reload). */
  configure(options: Partial<CircuitOptions>): void {
    Object.assign(this.options, options);
  }

  get(key: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(key, this.options, this.clock, (change) => this.emit(change));
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onChange(listener: (change: CircuitChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): CircuitSnapshot[] {
    return [...this.breakers.values()].map((b) => ({
      key: b.key,
      state: b.state,
      consecutiveFailures: b.consecutiveFailures,
      retryAt: b.retryAt,
    }));
  }

  private emit(change: CircuitChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A faulty subscriber must not break the request that changed the state.
      }
    }
  }
}

export const endpointKey = (endpoint: string): string => endpoint;
export const modelKey = (model: string): string => `model:${model}`;

/** Which breaker a failure is charged to: the endpoint, the model, or none (user errors, cancels, 429). */
export function failureScope(kind: OpenRouterErrorKind): 'endpoint' | 'model' | 'none' {
  switch (kind) {
    case 'provider':
    case 'unavailable':
    case 'midstream':
      return 'model';
    case 'server':
    case 'network':
    case 'timeout':
    case 'stalled':
    case 'cut_off':
    case 'invalid_response':
      return 'endpoint';
    default:
      return 'none';
  }
}
