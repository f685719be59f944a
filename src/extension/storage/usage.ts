/**
 * Spend and token figures for the usage report, grouped by day, by model and by
 * conversation. Read from the append-only spend ledger (ledger.ts), so deleted
 * conversations and messages still count; money is summed exactly from the
 * stored decimal text. Days are UTC calendar days. No `vscode` import.
 */
import { ZERO, add, parseUsd, sub, toDecimalString, type Usd } from '../../shared/money';
import type { SqlDatabase } from './database';

export interface UsageRow {
  readonly key: string;
  readonly cost: string;
  /** Of `cost`, what providers charged the user's own keys directly (BYOK); the rest went to OpenRouter. */
  readonly upstream: string;
  /** What prompt caching saved (negative when cache writes cost more than reads saved). */
  readonly cacheSaving: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly messages: number;
}

export interface UsageReport {
  readonly from: number;
  readonly to: number;
  /** Every day from `from` to `to`, zero-filled, oldest first. */
  readonly byDay: readonly UsageRow[];
  /** Most expensive first. */
  readonly byModel: readonly UsageRow[];
  /** Top conversations by cost in the period (key = conversation id). */
  readonly topConversations: ReadonlyArray<UsageRow & { title: string }>;
  readonly total: string;
  /** Of `total`, paid to providers directly on BYOK routes. */
  readonly totalUpstream: string;
  readonly totalCacheSaving: string;
}

interface Acc {
  cost: Usd;
  upstream: Usd;
  saving: Usd;
  promptTokens: number;
  completionTokens: number;
  /** Distinct messages: a message whose cost was corrected has several ledger rows. */
  ids: Set<string>;
}

const DAY = 86_400_000;

export function usageReport(db: SqlDatabase, from: number, to: number, top = 10): UsageReport {
  const days = new Map<string, Acc>();
  for (let t = Math.floor(from / DAY) * DAY; t <= to; t += DAY) days.set(dayKey(t), empty());
  const models = new Map<string, Acc>();
  const conversations = new Map<string, Acc>();
  let total = ZERO;
  let totalUpstream = ZERO;
  let totalSaving = ZERO;
  const rows = db.rawRows(
    `SELECT at, model_id, conversation_id, message_id, delta_usd, upstream_usd, cache_saving_usd, prompt_tokens, completion_tokens
       FROM spend_ledger WHERE at >= ? AND at <= ?`,
    [from, to],
  );
  for (const row of rows) {
    const usd = (value: unknown): Usd => (typeof value === 'string' ? (parseUsd(value) ?? ZERO) : ZERO);
    const cost = usd(row['delta_usd']);
    const prompt = Number(row['prompt_tokens'] ?? 0) || 0;
    const completion = Number(row['completion_tokens'] ?? 0) || 0;
    const upstream = usd(row['upstream_usd']);
    const saving = usd(row['cache_saving_usd']);
    total = add(total, cost);
    totalUpstream = add(totalUpstream, upstream);
    totalSaving = add(totalSaving, saving);
    for (const [map, key] of [
      [days, dayKey(Number(row['at']))],
      [models, String(row['model_id'] ?? 'unknown')],
      [conversations, String(row['conversation_id'])],
    ] as const) {
      const acc = map.get(key) ?? empty();
      acc.cost = add(acc.cost, cost);
      acc.upstream = add(acc.upstream, upstream);
      acc.saving = add(acc.saving, saving);
      acc.promptTokens += prompt;
      acc.completionTokens += completion;
      acc.ids.add(String(row['message_id']));
      map.set(key, acc);
    }
  }
  const toRows = (map: Map<string, Acc>) => [...map].map(([key, acc]) => ({ key, ...view(acc) }));
  const byCost = (a: { cost: string }, b: { cost: string }) => compareDecimal(b.cost, a.cost);
  const titles = new Map<string, string>();
  const topIds = toRows(conversations).sort(byCost).slice(0, top);
  for (const { key } of topIds) {
    const [row] = db.rawRows('SELECT title FROM conversations WHERE id = ?', [key], 1);
    titles.set(key, typeof row?.['title'] === 'string' ? row['title'] : '(deleted conversation)');
  }
  return {
    from,
    to,
    byDay: toRows(days).sort((a, b) => a.key.localeCompare(b.key)),
    byModel: toRows(models).sort(byCost),
    topConversations: topIds.map((r) => ({ ...r, title: titles.get(r.key) ?? '' })),
    total: toDecimalString(total),
    totalUpstream: toDecimalString(totalUpstream),
    totalCacheSaving: toDecimalString(totalSaving),
  };
}

/**
 * One day of the reconciliation with OpenRouter's bill, as the CSV writes it (core's
 * reconciliation produces these; declared here so storage never imports core).
 */
export interface ReconciledDayCsv {
  readonly date: string;
  readonly ours: { readonly openRouter: string; readonly byok: string };
  readonly theirs: { readonly openRouter: string; readonly byok: string } | undefined;
  readonly difference: { readonly total: string } | undefined;
  readonly status: string;
  readonly ourReplies: number;
  readonly theirRequests: number | undefined;
}

const CSV_HEADER = [
  'section', 'key', 'cost_usd', 'openrouter_usd', 'provider_byok_usd', 'cache_saving_usd', 'prompt_tokens', 'completion_tokens', 'messages',
  'billed_openrouter_usd', 'billed_provider_byok_usd', 'difference_usd', 'status', 'openrouter_requests',
];

/**
 * The report as CSV: one line per day, model and top conversation; then, when OpenRouter's
 * activity was read, one `reconciliation` line per day — ours (cost, OpenRouter part, BYOK
 * part, replies) beside what OpenRouter billed and counted, the exact difference (billed −
 * ours) and the status. Columns a line has no value for are empty.
 */
export function usageCsv(report: UsageReport, reconciliation?: readonly ReconciledDayCsv[]): string {
  const lines = [CSV_HEADER.join(',')];
  const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const none = ['', '', '', '', ''];
  for (const [section, rows] of [
    ['day', report.byDay],
    ['model', report.byModel],
    ['conversation', report.topConversations],
  ] as const) {
    for (const r of rows) lines.push([section, esc(r.key), r.cost, openRouterPart(r), r.upstream, r.cacheSaving, r.promptTokens, r.completionTokens, r.messages, ...none].join(','));
  }
  for (const d of reconciliation ?? []) {
    const ours = toDecimalString(add(parseUsd(d.ours.openRouter) ?? ZERO, parseUsd(d.ours.byok) ?? ZERO));
    lines.push(
      ['reconciliation', d.date, ours, d.ours.openRouter, d.ours.byok, '', '', '', d.ourReplies, d.theirs?.openRouter ?? '', d.theirs?.byok ?? '', d.difference?.total ?? '', d.status, d.theirRequests ?? ''].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function empty(): Acc {
  return { cost: ZERO, upstream: ZERO, saving: ZERO, promptTokens: 0, completionTokens: 0, ids: new Set() };
}

/** What went to OpenRouter: the cost less the providers' BYOK charges. */
export function openRouterPart(r: { cost: string; upstream: string }): string {
  return toDecimalString(sub(parseUsd(r.cost) ?? ZERO, parseUsd(r.upstream) ?? ZERO));
}

function view(acc: Acc) {
  return { cost: toDecimalString(acc.cost), upstream: toDecimalString(acc.upstream), cacheSaving: toDecimalString(acc.saving), promptTokens: acc.promptTokens, completionTokens: acc.completionTokens, messages: acc.ids.size };
}

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function compareDecimal(a: string, b: string): number {
  const x = parseUsd(a)?.atto ?? 0n;
  const y = parseUsd(b)?.atto ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}
