/**
 * Session figures for the telemetry rail: tokens in/out, the last reply's TTFT and
 * speed, recent costs for the sparkline, circuit state, the context meter inputs.
 * Fed by chat events; cost totals come from the CostTracker and the store.
 * No `vscode` import.
 */
import type { Telemetry } from '../../shared/protocol';
import type { CircuitChange } from '../openrouter/circuitBreaker';
import type { StoredMessage } from '../storage/types';
import type { BudgetLimits, CostTracker } from './costTracker';
import { toDecimalString, type Usd } from '../../shared/money';

const RECENT = 24;

export class SessionTelemetry {
  private tokensIn = 0;
  private tokensOut = 0;
  private lastTtftMs: number | undefined;
  private lastTokensPerSecond: number | undefined;
  private readonly recent: string[] = [];
  private readonly openCircuits = new Map<string, 'open' | 'half-open'>();
  private lastReply: { promptTokens: number; completionTokens: number; model: string } | undefined;

  recordCompleted(message: StoredMessage, tokensPerSecond: number | undefined): void {
    this.tokensIn += message.promptTokens ?? 0;
    this.tokensOut += message.completionTokens ?? 0;
    this.lastTtftMs = message.ttftMs ?? undefined;
    this.lastTokensPerSecond = tokensPerSecond;
    if (message.cost) this.pushCost(message.cost.usd);
    this.lastReply = {
      promptTokens: message.promptTokens ?? 0,
      completionTokens: message.completionTokens ?? 0,
      model: message.modelId ?? '',
    };
  }

  recordFailed(message: StoredMessage): void {
    if (message.cost) this.pushCost(message.cost.usd);
  }

  recordCircuit(change: CircuitChange): void {
    if (change.to === 'closed') this.openCircuits.delete(change.key);
    else this.openCircuits.set(change.key, change.to === 'open' ? 'open' : 'half-open');
  }

  /** What the API last reported for the prompt and reply (drives the context meter). */
  get lastUsage(): { promptTokens: number; completionTokens: number; model: string } | undefined {
    return this.lastReply;
  }

  snapshot(args: {
    costs: CostTracker;
    limits: BudgetLimits;
    lifetime: Usd;
    context?: { used: number; reserve: number; limit: number };
    keyBalance?: { remaining?: string; usage: string };
  }): Telemetry {
    const circuit = [...this.openCircuits.values()].includes('open')
      ? 'open'
      : this.openCircuits.size
        ? 'half-open'
        : 'closed';
    return {
      sessionCost: toDecimalString(args.costs.sessionSpent),
      monthCost: toDecimalString(args.costs.monthSpent),
      lifetimeCost: toDecimalString(args.lifetime),
      budget: {
        ...(args.limits.session ? { session: toDecimalString(args.limits.session) } : {}),
        ...(args.limits.monthly ? { monthly: toDecimalString(args.limits.monthly) } : {}),
        warnAtBasisPoints: args.limits.warnAtBasisPoints,
      },
      tokensIn: this.tokensIn,
      tokensOut: this.tokensOut,
      ...(args.context ? { context: args.context } : {}),
      ...(this.lastTtftMs !== undefined ? { lastTtftMs: this.lastTtftMs } : {}),
      ...(this.lastTokensPerSecond !== undefined ? { lastTokensPerSecond: this.lastTokensPerSecond } : {}),
      recentCosts: [...this.recent],
      circuit,
      ...(args.keyBalance ? { keyBalance: args.keyBalance } : {}),
    };
  }

  private pushCost(usd: string): void {
    this.recent.push(usd);
    if (this.recent.length > RECENT) this.recent.shift();
  }
}
