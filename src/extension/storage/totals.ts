/**
 * Conversation totals, derived from message rows. Money is summed exactly with
 * shared/money.ts (BigInt), never with SQL's floating-point SUM, so a total always
 * equals the sum of the costs shown on its messages. The REAL `total_cost`
 * column is written alongside for ORDER BY only. Totals cover every branch
 * (money spent on a discarded regeneration was still spent) but not the
 * messages a fork copied from its source: those were paid for once, in the
 * source, and counting them again would make the sum over conversations —
 * lifetime spend — larger than what was spent. No `vscode` import.
 */
import { add, parseUsd, toDecimalString, ZERO, type Usd } from '../../shared/money';
import type { SqlDatabase } from './database';
import { StorageError } from './errors';

/** Messages whose cost belongs to their own conversation: everything but a fork's copies. */
export const PAID_HERE = 'copied_from_message_id IS NULL';

interface Totals {
  cost: Usd;
  tokens: number;
}

/**
 * Adds one message's change to its conversation's totals: O(1) on the hot
 * path (append, update), still exact. Merges, imports and rebuilds recompute
 * from scratch instead.
 */
export function adjustTotals(db: SqlDatabase, conversationId: string, costDelta: Usd, tokenDelta: number): void {
  if (costDelta.atto === 0n && tokenDelta === 0) return;
  const [row] = db.rawRows('SELECT total_cost_exact, total_tokens FROM conversations WHERE id = ?', [conversationId]);
  const current = typeof row?.['total_cost_exact'] === 'string' ? parseUsd(row['total_cost_exact']) : undefined;
  if (current === undefined) {
    recomputeTotals(db, [conversationId]);
    return;
  }
  checkedTokens(Number(row?.['total_tokens'] ?? 0) + tokenDelta);
  const exact = toDecimalString(add(current, costDelta));
  db.run('UPDATE conversations SET total_cost_exact = ?, total_cost = ?, total_tokens = total_tokens + ? WHERE id = ?', [
    exact,
    Number(exact),
    tokenDelta,
    conversationId,
  ]);
}

/** What one message contributes to its conversation's totals (nothing, for a fork's copy). */
export function contribution(message: {
  cost: { usd: string } | null;
  promptTokens: number | null;
  completionTokens: number | null;
  copiedFromMessageId?: string | null;
}): { cost: Usd; tokens: number } {
  if (message.copiedFromMessageId) return { cost: ZERO, tokens: 0 };
  return {
    cost: (message.cost ? parseUsd(message.cost.usd) : undefined) ?? ZERO,
    tokens: (message.promptTokens ?? 0) + (message.completionTokens ?? 0),
  };
}

/** Recomputes the totals of the given conversations from their messages. */
export function recomputeTotals(db: SqlDatabase, conversationIds: Iterable<string>): void {
  for (const conversationId of new Set(conversationIds)) {
    const totals: Totals = { cost: ZERO, tokens: 0 };
    for (const row of db.rawRows(
      `SELECT cost_exact, prompt_tokens, completion_tokens FROM messages
        WHERE conversation_id = ? AND ${PAID_HERE}`,
      [conversationId],
    )) {
      accumulate(totals, row['cost_exact'], row['prompt_tokens'], row['completion_tokens']);
    }
    writeTotals(db, conversationId, totals);
  }
}

/** Recomputes every conversation's totals in one pass over the messages. */
export function recomputeAllTotals(db: SqlDatabase): void {
  const byConversation = new Map<string, Totals>();
  for (const row of db.rawRows('SELECT id FROM conversations')) {
    if (typeof row['id'] === 'string') byConversation.set(row['id'], { cost: ZERO, tokens: 0 });
  }
  for (const row of db.rawRows(
    `SELECT conversation_id, cost_exact, prompt_tokens, completion_tokens FROM messages WHERE ${PAID_HERE}`,
  )) {
    const totals = typeof row['conversation_id'] === 'string' ? byConversation.get(row['conversation_id']) : undefined;
    if (totals) accumulate(totals, row['cost_exact'], row['prompt_tokens'], row['completion_tokens']);
  }
  for (const [conversationId, totals] of byConversation) writeTotals(db, conversationId, totals);
}

function accumulate(totals: Totals, costExact: unknown, prompt: unknown, completion: unknown): void {
  const cost = typeof costExact === 'string' ? parseUsd(costExact) : undefined;
  if (cost) totals.cost = add(totals.cost, cost);
  totals.tokens = checkedTokens(totals.tokens + (typeof prompt === 'number' ? prompt : 0) + (typeof completion === 'number' ? completion : 0));
}

/** A token total that still reads back exactly; past that the write is refused, not stored corrupt. */
function checkedTokens(total: number): number {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new StorageError('invalid-input', 'A conversation’s token total would overflow; the change was not saved.');
  }
  return total;
}

function writeTotals(db: SqlDatabase, conversationId: string, totals: Totals): void {
  const exact = toDecimalString(totals.cost);
  db.run(
    `UPDATE conversations SET total_cost_exact = ?, total_cost = ?, total_tokens = ?
      WHERE id = ? AND (total_cost_exact IS NOT ? OR total_tokens IS NOT ?)`,
    [exact, Number(exact), totals.tokens, conversationId, exact, totals.tokens],
  );
}
