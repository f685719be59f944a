/**
 * The usage report as static HTML with SVG charts: no script at all, colours from CSS
 * classes (the page's stylesheet maps them to theme variables), every text escaped.
 * Bar heights come from exact decimal ratios computed in BigInt. No `vscode` import.
 */
import { openRouterPart, type UsageReport, type UsageRow } from '../storage/usage';
import { formatUsd, parseUsd, ZERO, type Usd } from '../../shared/money';
import { accountSectionsHtml } from './accountHtml';
import { escapeHtml } from './html';
import type { AccountSummary } from './accountSummary';

const W = 640;
const H = 160;

export { escapeHtml };

const usdOf = (s: string): Usd => parseUsd(s) ?? ZERO;

/** value / max scaled to `span`, exactly (BigInt) then rounded to one decimal place. */
function scale(value: bigint, max: bigint, span: number): number {
  if (max <= 0n) return 0;
  return Number((value * BigInt(span * 10)) / max) / 10;
}

function bars(rows: readonly UsageRow[], pick: (r: UsageRow) => bigint, label: (r: UsageRow) => string, cls: string): string {
  const max = rows.reduce((m, r) => (pick(r) > m ? pick(r) : m), 0n);
  const step = rows.length ? W / rows.length : W;
  const parts = rows.map((r, i) => {
    const h = scale(pick(r), max, H - 20);
    const x = (i * step + 1).toFixed(1);
    return `<rect class="${cls}" x="${x}" y="${(H - 16 - h).toFixed(1)}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(label(r))}</title></rect>`;
  });
  const first = rows[0]?.key ?? '';
  const last = rows.at(-1)?.key ?? '';
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(cls)} chart" class="chart">${parts.join('')}<text x="0" y="${H - 2}" class="axis">${escapeHtml(first)}</text><text x="${W}" y="${H - 2}" class="axis end">${escapeHtml(last)}</text></svg>`;
}

/** Cumulative spend through the month against the monthly budget line. */
function burnDown(report: UsageReport, monthly: Usd | undefined, monthStart: string): string {
  const days = report.byDay.filter((d) => d.key >= monthStart);
  let running = ZERO.atto;
  const points = days.map((d) => (running += usdOf(d.cost).atto));
  const max = [running, monthly?.atto ?? 0n].reduce((a, b) => (a > b ? a : b), 1n);
  const step = days.length > 1 ? W / (days.length - 1) : W;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(H - 16 - scale(p, max, H - 20)).toFixed(1)}`).join(' ');
  const budgetY = monthly ? (H - 16 - scale(monthly.atto, max, H - 20)).toFixed(1) : undefined;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Budget burn-down" class="chart">${
    budgetY ? `<line class="budget" x1="0" x2="${W}" y1="${budgetY}" y2="${budgetY}"/>` : ''
  }<path class="spend-line" d="${path}"/></svg>`;
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
          `<tr><th scope="row">${escapeHtml(name(r))}</th><td>${formatUsd(usdOf(r.cost), 6)}</td><td>${formatUsd(usdOf(openRouterPart(r)), 6)}</td><td>${formatUsd(usdOf(r.upstream), 6)}</td><td>${formatUsd(usdOf(r.cacheSaving), 6)}</td><td>${r.promptTokens.toLocaleString('en-US')}</td><td>${r.completionTokens.toLocaleString('en-US')}</td><td>${r.messages}</td></tr>`,
      )
      .join('');
  const table = (caption: string, body: string) =>
    `<table><caption>${caption}</caption><thead><tr><th scope="col">${caption.split(' ')[0]}</th><th scope="col">Cost</th><th scope="col">OpenRouter</th><th scope="col">Provider (BYOK)</th><th scope="col">Cache saved</th><th scope="col">Tokens in</th><th scope="col">Tokens out</th><th scope="col">Replies</th></tr></thead><tbody>${body || '<tr><td colspan="8">No usage yet.</td></tr>'}</tbody></table>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${escapeHtml(args.csp)}"><title>Neural Terminal Usage</title><link rel="stylesheet" href="${escapeHtml(args.stylesheet)}"></head><body>
<main>
<h1>Usage</h1>
<p class="summary">${escapeHtml(report.byDay[0]?.key ?? '')} – ${escapeHtml(report.byDay.at(-1)?.key ?? '')}: <strong>${formatUsd(usdOf(report.total), 4)}</strong> (OpenRouter ${formatUsd(usdOf(openRouterPart({ cost: report.total, upstream: report.totalUpstream })), 6)}, providers on your own keys ${formatUsd(usdOf(report.totalUpstream), 6)}; prompt caching saved ${formatUsd(usdOf(report.totalCacheSaving), 6)}) · <a href="${escapeHtml(args.csvCommandUri)}">Export CSV</a></p>
${args.account ? accountSectionsHtml(args.account, args.setManagementKeyUri) : ''}
<section><h2>Spend by day</h2>${bars(report.byDay, (r) => usdOf(r.cost).atto, (r) => `${r.key}: ${formatUsd(usdOf(r.cost), 4)}`, 'spend')}</section>
<section><h2>Tokens by day</h2>${bars(report.byDay, tokens, (r) => `${r.key}: ${r.promptTokens} in, ${r.completionTokens} out`, 'tokens')}</section>
<section><h2>Budget burn-down (this month)</h2>${burnDown(report, args.monthly, args.monthStart)}<p class="legend"><span class="swatch spend"></span> cumulative spend ${args.monthly ? `<span class="swatch budget"></span> monthly budget ${formatUsd(args.monthly, 2)}` : '(no monthly budget set)'}</p></section>
<section>${table('Model spend', rows(report.byModel, (r) => r.key))}</section>
<section>${table('Conversation spend (top 10)', rows(report.topConversations, (r) => r.title ?? r.key))}</section>
</main></body></html>`;
}
