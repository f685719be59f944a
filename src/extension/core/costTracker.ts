/**
 * Session and monthly spend against budgets. Amounts are exact (money.ts). Emits
 * `budget.threshold` once when spend crosses the warning share and `budget.exceeded`
 * once when it reaches the limit; at the limit further paid sends are blocked unless
 * the user overrides that one send. Free models are never blocked.
 * Per-message, per-conversation and per-day totals live with the messages in the
 * store (sums of their rows); this holds what the store cannot know: the session.
 * No `vscode` import.
 */
import { ZERO, add, compare, ratioBasisPoints, type Usd } from '../../shared/money';

export type BudgetScope = 'session' | 'monthly';

export interface BudgetLimits {
  session?: Usd;
  monthly?: Usd;
  /** Warning threshold in basis points of the limit (8000 = 80%). */
  warnAtBasisPoints: number;
}

export interface BudgetStatus {
  scope: BudgetScope;
  spent: Usd;
  limit: Usd;
  /** spent / limit in basis points. */
  basisPoints: number;
}

export interface BudgetEvents {
  'budget.threshold': BudgetStatus;
  'budget.exceeded': BudgetStatus;
}

export type SendCheck =
  | { ok: true; warning?: { scope: BudgetScope; projected: Usd; limit: Usd } }
  | { ok: false; status: BudgetStatus; message: string };

export interface CostTrackerOptions {
  limits: BudgetLimits;
  /** Spend already recorded this calendar month (from the store) at start-up. */
  monthSpentAtStart: Usd;
  /** `YYYY-MM` of now; the month total restarts when it changes. */
  monthKey: () => string;
  emit: <K extends keyof BudgetEvents>(type: K, payload: BudgetEvents[K]) => void;
}

export class CostTracker {
  private limits: BudgetLimits;
  private session: Usd = ZERO;
  private month: Usd;
  private monthOf: string;
  private readonly fired = new Set<string>();

  constructor(private readonly options: CostTrackerOptions) {
    this.limits = options.limits;
    this.month = options.monthSpentAtStart;
    this.monthOf = options.monthKey();
  }

  get sessionSpent(): Usd {
    return this.session;
  }

  get monthSpent(): Usd {
    this.rollMonth();
    return this.month;
  }

  /** Adds what one message cost and fires any budget events this crossing caused. */
  record(cost: Usd): void {
    this.rollMonth();
    this.session = add(this.session, cost);
    this.month = add(this.month, cost);
    this.evaluate();
  }

  /** New limits from settings: events may fire again for the new limits. */
  setLimits(limits: BudgetLimits): void {
    this.limits = limits;
    this.fired.clear();
    this.evaluate();
  }

  statuses(): BudgetStatus[] {
    this.rollMonth();
    const out: BudgetStatus[] = [];
    for (const scope of ['session', 'monthly'] as const) {
      const s = this.status(scope);
      if (s) out.push(s);
    }
    return out;
  }

  /**
   * May a send go ahead? Blocked when a budget is used up (unless `override`, or the
   * model is free); allowed with a warning when its estimate would cross a limit.
   */
  checkSend(args: { estimate: Usd | undefined; free: boolean; override: boolean }): SendCheck {
    if (args.free) return { ok: true };
    this.rollMonth();
    for (const status of this.statuses()) {
      if (status.basisPoints >= 10000 && !args.override) {
        return {
          ok: false,
          status,
          message: `The ${status.scope} budget is used up. Raise neuralTerminal.budget.${status.scope} or send this one anyway.`,
        };
      }
    }
    if (args.estimate) {
      for (const status of this.statuses()) {
        const projected = add(status.spent, args.estimate);
        if (compare(projected, status.limit) > 0) {
          return { ok: true, warning: { scope: status.scope, projected, limit: status.limit } };
        }
      }
    }
    return { ok: true };
  }

  private status(scope: BudgetScope): BudgetStatus | undefined {
    const limit = scope === 'session' ? this.limits.session : this.limits.monthly;
    if (!limit || limit.atto <= 0n) return undefined;
    const spent = scope === 'session' ? this.session : this.month;
    return { scope, spent, limit, basisPoints: ratioBasisPoints(spent, limit) ?? 0 };
  }

  private evaluate(): void {
    for (const status of this.statuses()) {
      if (status.basisPoints >= this.limits.warnAtBasisPoints) this.fireOnce('budget.threshold', status);
      if (status.basisPoints >= 10000) this.fireOnce('budget.exceeded', status);
    }
  }

  private fireOnce(type: keyof BudgetEvents, status: BudgetStatus): void {
    const key = `${type}:${status.scope}`;
    if (this.fired.has(key)) return;
    this.fired.add(key);
    this.options.emit(type, status);
  }

  private rollMonth(): void {
    const now = this.options.monthKey();
    if (now === this.monthOf) return;
    this.monthOf = now;
    this.month = ZERO;
    this.fired.delete('budget.threshold:monthly');
    this.fired.delete('budget.exceeded:monthly');
  }
}
