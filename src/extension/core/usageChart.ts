/**
 * The usage report as static HTML with SVG charts: no script at all, colours from CSS
 * classes (the page's stylesheet maps them to theme variables), every text escaped.
 * Bar heights come from exact decimal ratios computed in BigInt. No `vscode` import.
 */
import { openRouterPart, type UsageReport, type UsageRow } from '../storage/usage';
import { formatBudget, formatCost, parseUsd, usd, ZERO, type Usd } from '../../shared/money';
import { accountSectionsHtml } from './accountHtml';
import { escapeHtml } from './html';
import type { AccountSummary } from './accountSummary';

const W = 640;
const H = 180;
/** Plot area inside the SVG: room on the left for the value axis, below for the dates. */
const LEFT = 64;
const TOP = 8;
const BOTTOM = H - 22;
const PLOT_W = W - LEFT - 4;
const PLOT_H = BOTTOM - TOP;

export { escapeHtml };

const usdOf = (s: string): Usd => parseUsd(s) ?? ZERO;
const count = (n: bigint): string => n.toLocaleString('en-US');
const money = (atto: bigint): string => formatCost(usd(atto));

/** value / max scaled to `span`, exactly (BigInt) then rounded to one decimal place. */
function scale(value: bigint, max: bigint, span: number): number {
  if (max <= 0n) return 0;
  return Number((value * BigInt(span * 10)) / max) / 10;
}

const yOf = (value: bigint, max: bigint): string => (BOTTOM - scale(value, max, PLOT_H)).toFixed(1);

/** The value axis (0, half, max with grid lines) and the date axis (first, middle, last day). */
function axes(max: bigint, format: (v: bigint) => string, dates: readonly string[], xOf: (i: number) => number): string {
  const ticks = max > 0n ? [0n, max / 2n, max] : [0n];
  const y = ticks
    .map((t) => `<line class="grid" x1="${LEFT}" x2="${W - 4}" y1="${yOf(t, max)}" y2="${yOf(t, max)}"/><text class="axis value" x="${LEFT - 4}" y="${yOf(t, max)}">${escapeHtml(format(t))}</text>`)
    .join('');
  const picks = dates.length > 2 ? [0, Math.floor((dates.length - 1) / 2), dates.length - 1] : dates.map((_, i) => i);
  const x = picks
    .map((i, n) => `<text class="axis date${n === 0 ? ' start' : n === picks.length - 1 && picks.length > 1 ? ' end' : ''}" x="${xOf(i).toFixed(1)}" y="${H - 6}">${escapeHtml(dates[i] ?? '')}</text>`)
    .join('');
  return `${y}<line class="axis-line" x1="${LEFT}" x2="${W - 4}" y1="${BOTTOM}" y2="${BOTTOM}"/>${x}`;
}

/** A bar per day with both axes; the largest bar carries its value, every bar its value as a tooltip. */
function bars(rows: readonly UsageRow[], pick: (r: UsageRow) => bigint, format: (v: bigint) => string, name: string, cls: string): string {
  const max = rows.reduce((m, r) => (pick(r) > m ? pick(r) : m), 0n);
  const step = rows.length ? PLOT_W / rows.length : PLOT_W;
  const left = (i: number) => LEFT + i * step + 1;
  const peak = rows.findIndex((r) => max > 0n && pick(r) === max);
  const parts = rows.map((r, i) => {
    const v = pick(r);
    const h = scale(v, max, PLOT_H);
    const rect = `<rect class="${cls}" x="${left(i).toFixed(1)}" y="${(BOTTOM - h).toFixed(1)}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(`${r.key}: ${format(v)}`)}</title></rect>`;
    const label = i === peak ? `<text class="bar-value" x="${(left(i) + step / 2).toFixed(1)}" y="${(BOTTOM - h - 3).toFixed(1)}">${escapeHtml(format(v))}</text>` : '';
    return rect + label;
  });
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(`${name}: highest ${format(max)}${peak >= 0 ? ` on ${rows[peak]?.key}` : ''}`)}" class="chart">${axes(max, format, rows.map((r) => r.key), (i) => left(i) + step / 2)}${parts.join('')}</svg>`;
}

/** Cumulative spend through the month against the monthly budget line (only drawn when a budget is set). */
function burnDown(report: UsageReport, monthly: Usd, monthStart: string): string {
  const days = report.byDay.filter((d) => d.key >= monthStart);
  let running = ZERO.atto;
  const points = days.map((d) => (running += usdOf(d.cost).atto));
  const max = running > monthly.atto ? running : monthly.atto > 0n ? monthly.atto : 1n;
  const step = days.length > 1 ? PLOT_W / (days.length - 1) : PLOT_W;
  const xOf = (i: number) => LEFT + i * step;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${xOf(i).toFixed(1)},${yOf(p, max)}`).join(' ');
  const budgetY = yOf(monthly.atto, max);
  const spent = `<text class="bar-value end" x="${xOf(points.length - 1).toFixed(1)}" y="${(Number(yOf(running, max)) - 4).toFixed(1)}">${escapeHtml(money(running))}</text>`;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(`Budget burn-down: ${money(running)} of ${formatBudget(monthly)} spent this month`)}" class="chart">${axes(max, money, days.map((d) => d.key), xOf)}<line class="budget" x1="${LEFT}" x2="${W - 4}" y1="${budgetY}" y2="${budgetY}"/><path class="spend-line" d="${path}"/>${points.length ? spent : ''}</svg>`;
}

function burnDownSection(report: UsageReport, monthly: Usd | undefined, monthStart: string): string {
  if (!monthly) {
    return '<section><h2>Budget burn-down (this month)</h2><p class="legend">No monthly budget is set, so there is nothing to burn down. Set <code>neuralTerminal.budget.monthly</code> to see spend against it.</p></section>';
  }
  return `<section><h2>Budget burn-down (this month)</h2>${burnDown(report, monthly, monthStart)}<p class="legend"><span class="swatch spend"></span> cumulative spend <span class="swatch budget"></span> monthly budget ${formatBudget(monthly)}</p></section>`;
}

export function usageHtml(args: {
  report: UsageReport;
  monthly: Usd | undefined;
  monthStart: string;
  csp: string;
  stylesheet: string;
  csvCommandUri: string;
  /** Key, credits and the reconciliation with OpenRouter's bill, when loaded. */
  account?: AccountSummary;
  setManagementKeyUri?: string;
}): string {
  const { report } = args;
  const tokens = (r: UsageRow) => BigInt(r.promptTokens + r.completionTokens);
  const rows = (items: ReadonlyArray<UsageRow & { title?: string }>, name: (r: UsageRow & { title?: string }) => string) =>
    items
      .map(
        (r) =>
          `<tr><th scope="row">${escapeHtml(name(r))}</th><td>${formatCost(usdOf(r.cost))}</td><td>${formatCost(usdOf(openRouterPart(r)))}</td><td>${formatCost(usdOf(r.upstream))}</td><td>${formatCost(usdOf(r.cacheSaving))}</td><td>${r.promptTokens.toLocaleString('en-US')}</td><td>${r.completionTokens.toLocaleString('en-US')}</td><td>${r.messages}</td></tr>`,
      )
      .join('');
  const table = (caption: string, body: string) =>
    `<table><caption>${caption}</caption><thead><tr><th scope="col">${caption.split(' ')[0]}</th><th scope="col">Cost</th><th scope="col">OpenRouter</th><th scope="col">Provider (BYOK)</th><th scope="col">Cache saved</th><th scope="col">Tokens in</th><th scope="col">Tokens out</th><th scope="col">Replies</th></tr></thead><tbody>${body || '<tr><td colspan="8">No usage yet.</td></tr>'}</tbody></table>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${escapeHtml(args.csp)}"><title>Neural Terminal Usage</title><link rel="stylesheet" href="${escapeHtml(args.stylesheet)}"></head><body>
<main>
<h1>Usage</h1>
<p class="summary">${escapeHtml(report.byDay[0]?.key ?? '')} – ${escapeHtml(report.byDay.at(-1)?.key ?? '')}: <strong>${formatCost(usdOf(report.total))}</strong> (OpenRouter ${formatCost(usdOf(openRouterPart({ cost: report.total, upstream: report.totalUpstream })))}, providers on your own keys ${formatCost(usdOf(report.totalUpstream))}; prompt caching saved ${formatCost(usdOf(report.totalCacheSaving))}) · <a href="${escapeHtml(args.csvCommandUri)}">Export CSV</a></p>
${args.account ? accountSectionsHtml(args.account, args.setManagementKeyUri) : ''}
<section><h2>Spend by day</h2>${bars(report.byDay, (r) => usdOf(r.cost).atto, money, 'Spend by day', 'spend')}</section>
<section><h2>Tokens by day</h2>${bars(report.byDay, tokens, count, 'Tokens by day', 'tokens')}</section>
${burnDownSection(report, args.monthly, args.monthStart)}
<section>${table('Model spend', rows(report.byModel, (r) => r.key))}</section>
<section>${table('Conversation spend (top 10)', rows(report.topConversations, (r) => r.title ?? r.key))}</section>
</main></body></html>`;
}
