/**
 * A comparison's rows read from its stored replies — what each model was asked and who
 * served it, tokens, exact cost, timings, finish reason — for the view's table and for
 * the exports (Markdown and JSON carry the same table). Defensive: metadata may hold
 * anything. Money stays exact decimal text. No `vscode` import.
 */
import type { ComparisonRow } from '../../shared/protocol';
import { formatCost, parseUsd } from '../../shared/money';
import type { ComparisonRecord } from '../../shared/comparison';
import type { StoredMessage } from './types';
import { replyFigures } from './replyFigures';

/** One reply's row; `streaming` says whether an unsettled reply is still streaming (else it was interrupted). */
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
  Object.assign(row, replyFigures(m));
  if (m.finishReason) row.finishReason = m.finishReason.slice(0, 60);
  const error = meta['error'];
  if (m.status === 'failed' && typeof error === 'object' && error !== null && !Array.isArray(error) && typeof error['message'] === 'string') {
    row.error = error['message'].slice(0, 500);
  }
  return row;
}


/** The rows of a comparison, in the order the models were asked; replies no longer there are left out. */
export function comparisonRows(record: ComparisonRecord, userId: string, replies: readonly StoredMessage[], streaming = false): ComparisonRow[] {
  const byId = new Map(replies.map((r) => [r.id, r]));
  return record.replies.flatMap((id) => {
    const reply = byId.get(id);
    return reply && reply.parentId === userId && reply.role === 'assistant' ? [comparisonRow(reply, streaming)] : [];
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** The comparison as a Markdown table (the exports' transcript shows it under its prompt). */
export function comparisonMarkdown(record: ComparisonRecord, rows: readonly ComparisonRow[]): string[] {
  const n = (v: number | undefined) => (v === undefined ? '–' : String(v));
  const lines = [
    `**Comparison of ${rows.length} models**${record.winner ? '' : ' (no winner picked)'}`,
    '',
    '| model | served by | status | in | out | reasoning | cached | cost | ttft | tok/s | latency | finish | |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const cost = r.cost !== undefined ? parseUsd(r.cost) : undefined;
    const served = [r.servedModel && r.servedModel !== r.model ? r.servedModel : '', r.provider ?? ''].filter(Boolean).join(' · ') || '–';
    lines.push(
      `| ${cell(r.model)} | ${cell(served)} | ${r.status} | ${n(r.promptTokens)} | ${n(r.completionTokens)} | ${n(r.reasoningTokens)} | ${n(r.cachedTokens)} | ${cost ? `${formatCost(cost)} (${r.cost} USD${r.costSource === 'estimate' ? ', est.' : ''})` : '–'} | ${r.ttftMs === undefined ? '–' : `${r.ttftMs} ms`} | ${r.tokensPerSecond === undefined ? '–' : r.tokensPerSecond.toFixed(1)} | ${r.latencyMs === undefined ? '–' : `${r.latencyMs} ms`} | ${cell(r.finishReason ?? '–')} | ${record.winner === r.messageId ? '★ winner' : ''} |`,
    );
  }
  return lines;
}
