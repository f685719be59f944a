/**
 * Compare: one prompt sent to several models at once. The replies are siblings of the
 * same user message (the tree regenerate already makes), and the comparison record —
 * which models, which replies, the winner — lives in that user message's metadata, so
 * it is stored, journaled, exported and imported with the message itself. No `vscode`
 * import.
 */
import type { StoredMessage } from '../storage/types';
import { MAX_COMPARED, MIN_COMPARED } from '../../shared/protocol/compare';
import { comparisonMetadata, readComparison, type ComparisonRecord } from '../../shared/comparison';

export { comparisonMetadata, readComparison, type ComparisonRecord };
export const MIN_COMPARE_MODELS = MIN_COMPARED;
export const MAX_COMPARE_MODELS = MAX_COMPARED;

/** The models to compare, trimmed and deduplicated, or why they cannot be compared. */
export function compareModels(models: readonly string[]): { ok: true; models: string[] } | { ok: false; message: string } {
  const unique = [...new Set(models.map((m) => m.trim()).filter((m) => m.length > 0))];
  if (unique.length < MIN_COMPARE_MODELS) return { ok: false, message: `Pick at least ${MIN_COMPARE_MODELS} different models to compare.` };
  if (unique.length > MAX_COMPARE_MODELS) return { ok: false, message: `Compare at most ${MAX_COMPARE_MODELS} models at once.` };
  if (unique.some((m) => m.length > 200)) return { ok: false, message: 'A model id is too long.' };
  return { ok: true, models: unique };
}

/** The record with `replyId` as its winner, or why it cannot be. */
export function withWinner(user: StoredMessage, reply: StoredMessage): { ok: true; record: ComparisonRecord } | { ok: false; message: string } {
  const record = readComparison(user.metadata);
  if (!record) return { ok: false, message: 'That message did not start a comparison.' };
  if (reply.parentId !== user.id || !record.replies.includes(reply.id)) return { ok: false, message: 'That reply is not part of the comparison.' };
  return { ok: true, record: { ...record, winner: reply.id } };
}
