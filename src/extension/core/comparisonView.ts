/**
 * The comparison table the view shows: one row per model of the comparison the open
 * branch's latest user message started, read from the stored replies (so it is the
 * same after a reload, an import or a window switch) and redrawn whenever one of them
 * starts, settles or is priced. Money stays exact. No `vscode` import.
 */
import type { ComparisonView } from '../../shared/protocol';
import { ZERO, add, parseUsd, toDecimalString } from '../../shared/money';
import type { PathEntry, StoredMessage } from '../storage/types';
import { readComparison, type ComparisonRecord } from './compare';
import { comparisonRows } from '../storage/comparisonRows';
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
  const rows = comparisonRows(record, user.id, replies, options.streaming);
  let total = ZERO;
  for (const row of rows) if (row.cost !== undefined) total = add(total, parseUsd(row.cost) ?? ZERO);
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
