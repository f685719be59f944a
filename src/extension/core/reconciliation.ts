/**
 * Reconciles our spend ledger with OpenRouter's own bill, day by day: the ledger's days
 * (usage report) against `/activity`'s rows summed per UTC day. Both sides are split the
 * same way — OpenRouter credit, and what providers billed the user's own keys (BYOK) — and
 * every difference is exact (BigInt decimals, never floats).
 *
 * A day is `pending` until OpenRouter lists it (`/activity` reports completed UTC days only,
 * the last 30); a completed day OpenRouter has no row for counts as zero billed there.
 * The activity covers the whole account, so spend from other apps or keys shows up as a
 * difference too. No `vscode` import.
 */
import { add, compare, parseUsd, sub, toDecimalString, ZERO, type Usd } from '../../shared/money';
import type { ActivityRow } from '../openrouter/account';
import type { UsageRow } from '../storage/usage';

/** How many completed days `/activity` reports. */
export const ACTIVITY_DAYS = 30;
const DAY_MS = 86_400_000;

export interface SpendSplit {
  /** OpenRouter credit. */
  readonly openRouter: string;
  /** Billed on the user's own provider keys. */
  readonly byok: string;
}

export interface DayReconciliation {
  /** `YYYY-MM-DD`, UTC. */
  readonly date: string;
  readonly ours: SpendSplit;
  /** Undefined while the day is pending. */
  readonly theirs: SpendSplit | undefined;
  /** theirs − ours (positive: OpenRouter billed more than we recorded); undefined while pending. */
  readonly difference: (SpendSplit & { readonly total: string }) | undefined;
  readonly status: 'match' | 'differs' | 'pending';
  /** Replies we recorded, and requests OpenRouter counted (retries and other apps included). */
  readonly ourReplies: number;
  readonly theirRequests: number | undefined;
}

export interface Reconciliation {
  /** Oldest first, the days of the ledger report. */
  readonly days: readonly DayReconciliation[];
  /** Sum of the completed days' differences. */
  readonly totalDifference: string;
  readonly differingDays: number;
}

interface Theirs {
  openRouter: Usd;
  byok: Usd;
  requests: number;
}

/**
 * `ledgerDays` are the usage report's days (cost includes the BYOK part, `upstream` is that part);
 * `activity` is `/activity`'s rows; `nowMs` decides which days OpenRouter has completed.
 */
export function reconcile(ledgerDays: readonly UsageRow[], activity: readonly ActivityRow[], nowMs: number): Reconciliation {
  const today = dayOf(nowMs);
  const firstListed = dayOf(nowMs - ACTIVITY_DAYS * DAY_MS);
  const theirs = new Map<string, Theirs>();
  for (const row of activity) {
    const acc = theirs.get(row.date) ?? { openRouter: ZERO, byok: ZERO, requests: 0 };
    theirs.set(row.date, { openRouter: add(acc.openRouter, row.usage), byok: add(acc.byok, row.byokUsage), requests: acc.requests + row.requests });
  }
  let total = ZERO;
  let differing = 0;
  const days = ledgerDays.map((day): DayReconciliation => {
    const cost = parseUsd(day.cost) ?? ZERO;
    const byok = parseUsd(day.upstream) ?? ZERO;
    const ours = { openRouter: sub(cost, byok), byok };
    const oursText = { openRouter: toDecimalString(ours.openRouter), byok: toDecimalString(ours.byok) };
    const completed = day.key < today && day.key >= firstListed;
    if (!completed) {
      return { date: day.key, ours: oursText, theirs: undefined, difference: undefined, status: 'pending', ourReplies: day.messages, theirRequests: undefined };
    }
    const t = theirs.get(day.key) ?? { openRouter: ZERO, byok: ZERO, requests: 0 };
    const dOpenRouter = sub(t.openRouter, ours.openRouter);
    const dByok = sub(t.byok, ours.byok);
    const dTotal = add(dOpenRouter, dByok);
    const matches = compare(dOpenRouter, ZERO) === 0 && compare(dByok, ZERO) === 0;
    total = add(total, dTotal);
    if (!matches) differing += 1;
    return {
      date: day.key,
      ours: oursText,
      theirs: { openRouter: toDecimalString(t.openRouter), byok: toDecimalString(t.byok) },
      difference: { openRouter: toDecimalString(dOpenRouter), byok: toDecimalString(dByok), total: toDecimalString(dTotal) },
      status: matches ? 'match' : 'differs',
      ourReplies: day.messages,
      theirRequests: t.requests,
    };
  });
  return { days, totalDifference: toDecimalString(total), differingDays: differing };
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
