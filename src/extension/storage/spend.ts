/**
 * Spend figures for budgets and telemetry, summed exactly from the stored decimal
 * text (never SQL's float SUM). Lifetime reads one row per conversation; a period
 * reads that period's priced messages. No `vscode` import.
 */
import { ZERO, add, parseUsd, toDecimalString } from '../../shared/money';
import type { SqlDatabase } from './database';
// A fork's copies keep their source's cost and time; they were paid for once.
import { PAID_HERE } from './totals';

/** Exact USD spent on messages created at or after `from` (epoch ms); 0 = all time. */
export function spendSince(db: SqlDatabase, from: number): string {
  let total = ZERO;
  const rows =
    from <= 0
      ? db.rawRows('SELECT total_cost_exact AS usd FROM conversations')
      : db.rawRows(
          `SELECT cost_exact AS usd FROM messages WHERE created_at >= ? AND cost_exact IS NOT NULL AND ${PAID_HERE}`,
          [from],
        );
  for (const row of rows) {
    const value = typeof row['usd'] === 'string' ? parseUsd(row['usd']) : undefined;
    if (value) total = add(total, value);
  }
  return toDecimalString(total);
}
