/**
 * The cost and latency diff between a branch and its replay on another model
 * (core/replay.ts): turn by turn — paired by the `replayOf` each replayed user message
 * records — and in total. Money is summed and subtracted exactly; a side with no cost yet
 * (priced later, or failed before any token) is shown as unknown and left out of the
 * totals, which say how many turns they cover. Rendered as Markdown for a read-only
 * document. No `vscode` import.
 */
import { ZERO, add, formatCost, parseUsd, sub, type Usd } from '../../shared/money';
import { firstWords } from '../../shared/plainText';
import type { PathEntry, StoredMessage } from '../storage/types';

export interface DiffSide {
  model: string;
  status: StoredMessage['status'];
  cost?: Usd;
  latencyMs?: number;
  ttftMs?: number;
  completionTokens?: number;
}

export interface TurnDiff {
  /** 1-based turn number. */
  turn: number;
  prompt: string;
  source?: DiffSide;
  replay?: DiffSide;
}

export interface SideTotals {
  cost: Usd;
  latencyMs: number;
  /** Turns whose cost (or latency) is known and summed. */
  pricedTurns: number;
  timedTurns: number;
}

export interface ReplayDiff {
  turns: TurnDiff[];
  source: SideTotals;
  replay: SideTotals;
}

/** The reply on a path right after a user message (its answer on that branch). */
function answerOf(path: readonly StoredMessage[], userId: string): StoredMessage | undefined {
  const i = path.findIndex((m) => m.id === userId);
  const next = i >= 0 ? path[i + 1] : undefined;
  return next && next.role === 'assistant' && next.parentId === userId ? next : undefined;
}

function side(m: StoredMessage | undefined): DiffSide | undefined {
  if (!m) return undefined;
  const requested = m.metadata['requestedModel'];
  const out: DiffSide = { model: m.modelId ?? (typeof requested === 'string' ? requested : '?'), status: m.status };
  const cost = m.cost ? parseUsd(m.cost.usd) : undefined;
  if (cost) out.cost = cost;
  if (m.latencyMs !== null) out.latencyMs = m.latencyMs;
  if (m.ttftMs !== null) out.ttftMs = m.ttftMs;
  if (m.completionTokens !== null) out.completionTokens = m.completionTokens;
  return out;
}

function totals(sides: readonly (DiffSide | undefined)[]): SideTotals {
  let cost = ZERO;
  let latencyMs = 0;
  let pricedTurns = 0;
  let timedTurns = 0;
  for (const s of sides) {
    if (s?.cost) {
      cost = add(cost, s.cost);
      pricedTurns++;
    }
    if (s?.latencyMs !== undefined) {
      latencyMs += s.latencyMs;
      timedTurns++;
    }
  }
  return { cost, latencyMs, pricedTurns, timedTurns };
}

/** Pairs the replay's turns with the source branch's, in the replay's order. */
export function replayDiff(sourcePath: readonly PathEntry[], replayPath: readonly PathEntry[]): ReplayDiff {
  const source = sourcePath.map((e) => e.message);
  const replay = replayPath.map((e) => e.message);
  const turns: TurnDiff[] = [];
  for (const user of replay) {
    if (user.role !== 'user') continue;
    const of = user.metadata['replayOf'];
    const original = typeof of === 'string' ? source.find((m) => m.id === of) : undefined;
    turns.push({
      turn: turns.length + 1,
      prompt: firstWords(user.content, 60),
      ...(original ? { source: side(answerOf(source, original.id)) } : {}),
      replay: side(answerOf(replay, user.id)),
    });
  }
  return { turns, source: totals(turns.map((t) => t.source)), replay: totals(turns.map((t) => t.replay)) };
}

/** Whether a conversation is a replay (its first user message says what it replays). */
export function replaySource(path: readonly PathEntry[]): { conversationId: string; model: string } | undefined {
  const first = path.find((e) => e.message.role === 'user')?.message;
  const r = first?.metadata['replay'];
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return undefined;
  return typeof r['of'] === 'string' && typeof r['model'] === 'string' ? { conversationId: r['of'], model: r['model'] } : undefined;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const ms = (n: number | undefined) => (n === undefined ? '–' : `${Math.round(n)} ms`);
const money = (u: Usd | undefined) => (u ? formatCost(u) : '–');

function signedMoney(a: Usd | undefined, b: Usd | undefined): string {
  if (!a || !b) return '–';
  const d = sub(b, a);
  return d.atto > 0n ? `+${formatCost(d)}` : formatCost(d);
}

function signedMs(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined) return '–';
  const d = Math.round(b - a);
  return `${d > 0 ? '+' : ''}${d} ms`;
}

/** The diff as a Markdown document: a per-turn table and the totals. */
export function replayDiffMarkdown(diff: ReplayDiff, titles: { source: string; replay: string; model: string }): string {
  const lines = [
    `# Replay diff: ${cell(titles.source)}`,
    '',
    `Every user turn of the branch, asked again of **${cell(titles.model)}** in “${cell(titles.replay)}”. Δ is replay − original; costs are exact.`,
    '',
    '| # | prompt | original model | original cost | original latency | replay model | replay cost | replay latency | Δ cost | Δ latency |',
    '|---|---|---|---:|---:|---|---:|---:|---:|---:|',
  ];
  for (const t of diff.turns) {
    const a = t.source;
    const b = t.replay;
    lines.push(
      `| ${t.turn} | ${cell(t.prompt)} | ${cell(a?.model ?? '–')} | ${money(a?.cost)} | ${ms(a?.latencyMs)} | ${cell(b?.model ?? '–')}${b && b.status !== 'complete' ? ` (${b.status})` : ''} | ${money(b?.cost)} | ${ms(b?.latencyMs)} | ${signedMoney(a?.cost, b?.cost)} | ${signedMs(a?.latencyMs, b?.latencyMs)} |`,
    );
  }
  const s = diff.source;
  const r = diff.replay;
  lines.push(
    `| **total** | ${diff.turns.length} turns |  | **${formatCost(s.cost)}** | **${s.latencyMs} ms** |  | **${formatCost(r.cost)}** | **${r.latencyMs} ms** | **${signedMoney(s.cost, r.cost)}** | **${signedMs(s.latencyMs, r.latencyMs)}** |`,
    '',
  );
  const n = diff.turns.length;
  if (s.pricedTurns < n || r.pricedTurns < n) {
    lines.push(`Costs known for ${s.pricedTurns} of ${n} original and ${r.pricedTurns} of ${n} replayed turns; the totals sum those.`, '');
  }
  return lines.join('\n');
}
