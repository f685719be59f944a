/**
 * The comparison table the view shows: one row per model of the comparison the open
 * branch's latest user message started, read from the stored replies (so it is the
 * same after a reload, an import or a window switch) and redrawn whenever one of them
 * starts, settles or is priced. Money stays exact. No `vscode` import.
 */
import type { ComparisonRow, ComparisonView } from '../../shared/protocol';
import { ZERO, add, parseUsd, toDecimalString } from '../../shared/money';
import type { PathEntry, StoredMessage } from '../storage/types';
import { readComparison, type ComparisonRecord } from './compare';
import type { HistoryPort } from './ports';

/** The latest user message on the path, with its comparison — when it started one. */
export function latestComparison(path: readonly PathEntry[]): { user: StoredMessage; record: ComparisonRecord } | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const m = (path[i] as PathEntry).message;
    if (m.role !== 'user') continue;
    const record = readComparison(m.metadata);
    return record ? { user: m, record } : undefined;
  }
  return undefined;
}

/**
 * The table for a comparison. `replies` are whatever the store still holds (a deleted
 * reply drops its row); `streaming` says whether the conversation still has replies open,
 * so a reply not yet settled shows as streaming rather than interrupted.
 */
export function comparisonView(
  user: StoredMessage,
  record: ComparisonRecord,
  replies: readonly StoredMessage[],
  options: { streaming: boolean; activeId?: string | undefined },
): ComparisonView {
  const byId = new Map(replies.map((r) => [r.id, r]));
  const rows: ComparisonRow[] = [];
  let total = ZERO;
  for (const id of record.replies) {
    const reply = byId.get(id);
    if (!reply || reply.parentId !== user.id || reply.role !== 'assistant') continue;
    const row = comparisonRow(reply, options.streaming);
    if (row.cost !== undefined) total = add(total, parseUsd(row.cost) ?? ZERO);
    rows.push(row);
  }
  const winner = record.winner && rows.some((r) => r.messageId === record.winner) ? record.winner : undefined;
  const active = options.activeId && rows.some((r) => r.messageId === options.activeId) ? options.activeId : undefined;
  return {
    userMessageId: user.id,
    rows,
    ...(winner ? { winnerId: winner } : {}),
    ...(active ? { activeId: active } : {}),
    totalCost: toDecimalString(total),
  };
}

export function comparisonRow(m: StoredMessage, streaming: boolean): ComparisonRow {
  const meta = m.metadata;
  const requested = typeof meta['requestedModel'] === 'string' && meta['requestedModel'] ? meta['requestedModel'] : (m.modelId ?? '?');
  const row: ComparisonRow = {
    messageId: m.id,
    model: requested.slice(0, 200),
    status: m.status === 'partial' && streaming ? 'streaming' : m.status,
  };
  if (m.modelId) row.servedModel = m.modelId.slice(0, 200);
  if (typeof meta['provider'] === 'string' && meta['provider']) row.provider = meta['provider'].slice(0, 200);
  if (m.promptTokens !== null) row.promptTokens = m.promptTokens;
  if (m.completionTokens !== null) row.completionTokens = m.completionTokens;
  if (m.reasoningTokens !== null) row.reasoningTokens = m.reasoningTokens;
  if (m.cachedTokens !== null) row.cachedTokens = m.cachedTokens;
  if (m.cost) {
    row.cost = m.cost.usd;
    row.costSource = m.cost.source;
  }
  if (m.ttftMs !== null) row.ttftMs = m.ttftMs;
  if (m.latencyMs !== null) row.latencyMs = m.latencyMs;
  const rate = meta['tokensPerSecond'];
  if (typeof rate === 'number' && Number.isFinite(rate) && rate >= 0) row.tokensPerSecond = rate;
  if (m.finishReason) row.finishReason = m.finishReason.slice(0, 60);
  const error = meta['error'];
  if (m.status === 'failed' && typeof error === 'object' && error !== null && !Array.isArray(error) && typeof error['message'] === 'string') {
    row.error = error['message'].slice(0, 500);
  }
  return row;
}

/** The open branch's comparison table, read from the store; undefined when its latest user message compared nothing. */
export async function loadComparison(
  history: Pick<HistoryPort, 'getMessage'>,
  path: readonly PathEntry[],
  streaming: boolean,
): Promise<ComparisonView | undefined> {
  const latest = latestComparison(path);
  if (!latest) return undefined;
  // A reply deleted since is simply not there any more.
  const replies = await Promise.all(latest.record.replies.map((id) => history.getMessage(id).catch(() => undefined)));
  const activeId = path.find((e) => e.message.parentId === latest.user.id)?.message.id;
  const view = comparisonView(latest.user, latest.record, replies.filter((r): r is StoredMessage => r !== undefined), { streaming, activeId });
  // A record naming none of this message's replies (all deleted, or copied by a fork) is no table.
  return view.rows.length ? view : undefined;
}
