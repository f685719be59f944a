/**
 * The spend ledger: an append-only table of what was billed. Every change of
 * a message's cost or tokens appends one row holding the difference (a cost
 * corrected from an estimate to the billed figure is a second row, possibly
 * negative), so the rows of a message sum to its current cost. Rows are never
 * updated or deleted: deleting a conversation or a message leaves its spend
 * in the month it was made, which is what budgets and the usage report read.
 * Fork copies never get rows (they were paid for once, in their source).
 * No `vscode` import.
 */
import { randomUUID } from 'node:crypto';

import { ZERO, add, parseUsd, sub, toDecimalString, type Usd } from '../../shared/money';
import type { SqlDatabase } from './database';

export interface Billing {
  readonly cost: Usd;
  /** Of `cost`, what a provider charged the user's own key directly (BYOK). */
  readonly upstream: Usd;
  /** What prompt caching saved (negative when cache writes cost more). */
  readonly saving: Usd;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export const NOTHING_BILLED: Billing = { cost: ZERO, upstream: ZERO, saving: ZERO, promptTokens: 0, completionTokens: 0 };

/** What a message row contributes to the ledger; fork copies contribute nothing. */
export function billingOf(message: {
  cost?: { usd: string } | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  metadata?: unknown;
  copiedFromMessageId?: string | null;
}): Billing {
  if (message.copiedFromMessageId) return NOTHING_BILLED;
  return {
    cost: (message.cost ? parseUsd(message.cost.usd) : undefined) ?? ZERO,
    ...billingParts(message.metadata),
    promptTokens: message.promptTokens ?? 0,
    completionTokens: message.completionTokens ?? 0,
  };
}

/**
 * The BYOK upstream charge (`billing.upstream`) and cache saving (`cache.saving`) the chat
 * engine keeps in a message's metadata (an object, or its JSON text); anything unreadable counts as zero.
 */
export function billingParts(raw: unknown): { upstream: Usd; saving: Usd } {
  let meta: unknown = raw;
  if (typeof raw === 'string') {
    if (!raw.includes('"billing"') && !raw.includes('"cache"')) return { upstream: ZERO, saving: ZERO };
    try {
      meta = JSON.parse(raw);
    } catch {
      return { upstream: ZERO, saving: ZERO };
    }
  }
  const m = (typeof meta === 'object' && meta !== null ? meta : {}) as { billing?: { upstream?: unknown }; cache?: { saving?: unknown } };
  return {
    upstream: typeof m.billing?.upstream === 'string' ? (parseUsd(m.billing.upstream) ?? ZERO) : ZERO,
    saving: typeof m.cache?.saving === 'string' ? (parseUsd(m.cache.saving) ?? ZERO) : ZERO,
  };
}

/** Appends the difference between two billings of one message, if there is one. */
export function recordSpend(
  db: SqlDatabase,
  message: { id: string; conversationId: string; modelId: string | null; createdAt: number },
  before: Billing,
  after: Billing,
  newId: () => string = randomUUID,
): void {
  const cost = sub(after.cost, before.cost);
  const upstream = sub(after.upstream, before.upstream);
  const saving = sub(after.saving, before.saving);
  const prompt = after.promptTokens - before.promptTokens;
  const completion = after.completionTokens - before.completionTokens;
  if (cost.atto === 0n && upstream.atto === 0n && saving.atto === 0n && prompt === 0 && completion === 0) return;
  // `at` is when the message was made, so a late correction lands in the same month.
  db.run(
    `INSERT INTO spend_ledger (id, at, message_id, conversation_id, model_id, delta_usd, upstream_usd, cache_saving_usd, prompt_tokens, completion_tokens)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      newId(), message.createdAt, message.id, message.conversationId, message.modelId,
      toDecimalString(cost), toDecimalString(upstream), toDecimalString(saving), prompt, completion,
    ],
  );
}

/** Gives imported messages (which have no ledger rows yet) their entries. */
export function backfillLedger(db: SqlDatabase): void {
  const before = Number(db.rawRows('SELECT coalesce(max(seq), 0) AS n FROM spend_ledger')[0]?.['n'] ?? 0);
  db.run(
    `INSERT INTO spend_ledger (id, at, message_id, conversation_id, model_id, delta_usd, prompt_tokens, completion_tokens)
     SELECT lower(hex(randomblob(16))), m.created_at, m.id, m.conversation_id, m.model_id, coalesce(m.cost_exact, '0'),
            coalesce(m.prompt_tokens, 0), coalesce(m.completion_tokens, 0)
       FROM messages m
      WHERE m.copied_from_message_id IS NULL
        AND (m.cost_exact IS NOT NULL OR m.prompt_tokens IS NOT NULL OR m.completion_tokens IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM spend_ledger l WHERE l.message_id = m.id)`,
  );
  for (const row of db.rawRows(
    `SELECT l.seq, m.metadata FROM spend_ledger l JOIN messages m ON m.id = l.message_id
      WHERE l.seq > ? AND (m.metadata LIKE '%"billing"%' OR m.metadata LIKE '%"cache"%')`,
    [before],
  )) {
    const parts = billingParts(row['metadata']);
    db.run('UPDATE spend_ledger SET upstream_usd = ?, cache_saving_usd = ? WHERE seq = ?', [
      toDecimalString(parts.upstream),
      toDecimalString(parts.saving),
      Number(row['seq']),
    ]);
  }
}

/** Exact USD billed for messages made at or after `from` (epoch ms); 0 = all time. */
export function spendSince(db: SqlDatabase, from: number): string {
  let total = ZERO;
  for (const row of db.rawRows('SELECT delta_usd FROM spend_ledger WHERE at >= ?', [from])) {
    const value = typeof row['delta_usd'] === 'string' ? parseUsd(row['delta_usd']) : undefined;
    if (value) total = add(total, value);
  }
  return toDecimalString(total);
}
