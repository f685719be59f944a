/**
 * The usage report's "Key and account" and "Reconciliation" sections as static HTML: the
 * key's limit, usage and remaining credit, the account's credits (management key), and per
 * UTC day what we recorded beside what OpenRouter billed (and our reply count beside its
 * request count), with the exact difference as a full-precision decimal. Every text escaped; no script. No `vscode` import.
 */
import { formatBudget, formatCost, parseUsd, sub, toDecimalString, ZERO, type Usd } from '../../shared/money';
import type { AccountSummary } from './accountSummary';
import { escapeHtml } from './html';
import type { DayReconciliation } from './reconciliation';

export const SET_MANAGEMENT_KEY_COMMAND = 'neuralTerminal.setManagementKey';

const usdOf = (s: string): Usd => parseUsd(s) ?? ZERO;

/** An exact difference, signed: "+0.000042", "-1.5", "0". */
export function signedExact(text: string): string {
  const value = usdOf(text);
  return value.atto > 0n ? `+${toDecimalString(value)}` : toDecimalString(value);
}

function keyHtml(s: AccountSummary): string {
  if (!s.key) return `<p class="account-error">Key: ${escapeHtml(s.keyError ?? 'not checked')}</p>`;
  const k = s.key;
  const facts = [
    k.limit ? `limit ${formatBudget(k.limit)}` : 'no limit',
    `used ${formatCost(k.usage)}`,
    ...(k.limitRemaining ? [`<strong>${formatCost(k.limitRemaining)} remaining</strong>`] : []),
    ...(k.usageToday ? [`today ${formatCost(k.usageToday)}`] : []),
    ...(k.usageMonth ? [`this month ${formatCost(k.usageMonth)}`] : []),
    ...(k.byokUsage ? [`on your own provider keys ${formatCost(k.byokUsage)}`] : []),
  ];
  return `<p class="key-info">API key${k.label ? ` <code>${escapeHtml(k.label)}</code>` : ''}: ${facts.join(' · ')}${k.isFreeTier ? ' (free tier)' : ''}</p>`;
}

function creditsHtml(s: AccountSummary, setKeyUri: string): string {
  if (!s.managementKey) {
    return `<p class="account-hint">Account credits and the reconciliation with OpenRouter’s bill need a management key: <a href="${escapeHtml(setKeyUri)}">Set Management Key</a>.</p>`;
  }
  const lines: string[] = [];
  if (s.credits) {
    const balance = sub(s.credits.totalCredits, s.credits.totalUsage);
    lines.push(
      `<p class="credits">Account: credits ${formatBudget(s.credits.totalCredits)} · used ${formatCost(s.credits.totalUsage)} · <strong>balance ${formatCost(balance)}</strong></p>`,
    );
  }
  if (s.accountError) lines.push(`<p class="account-error">Account: ${escapeHtml(s.accountError)}</p>`);
  return lines.join('');
}

function dayRow(d: DayReconciliation): string {
  const cell = (text: string | undefined) => `<td>${text === undefined ? '—' : escapeHtml(text)}</td>`;
  const status = d.status === 'pending' ? 'not billed yet' : d.status === 'match' ? 'match' : 'differs';
  return `<tr class="${d.status}"><th scope="row">${escapeHtml(d.date)}</th>${cell(d.ours.openRouter)}${cell(d.theirs?.openRouter)}${cell(d.ours.byok)}${cell(d.theirs?.byok)}${cell(
    String(d.ourReplies),
  )}${cell(d.theirRequests === undefined ? undefined : String(d.theirRequests))}${cell(d.difference ? signedExact(d.difference.total) : undefined)}<td class="status">${status}</td></tr>`;
}

function reconciliationHtml(s: AccountSummary): string {
  const r = s.reconciliation;
  if (!r) return '';
  // Days with nothing on either side say nothing; they are counted, not listed.
  const shown = r.days.filter((d) => d.status !== 'match' || usdOf(d.ours.openRouter).atto !== 0n || usdOf(d.ours.byok).atto !== 0n);
  const quiet = r.days.length - shown.length;
  const summary =
    r.differingDays === 0
      ? 'Every completed day matches OpenRouter’s bill exactly.'
      : `${r.differingDays} day${r.differingDays === 1 ? '' : 's'} differ${r.differingDays === 1 ? 's' : ''} from OpenRouter’s bill; in all OpenRouter billed <strong>${escapeHtml(signedExact(r.totalDifference))} USD</strong> more than recorded here (activity from other apps or keys on the account counts too).`;
  return `<section class="reconciliation"><h2>Reconciliation with OpenRouter (per UTC day)</h2><p class="reconcile-summary">${summary}</p>
<table><caption>Recorded here vs billed by OpenRouter, exact USD</caption><thead><tr><th scope="col">Day</th><th scope="col">Ours: OpenRouter</th><th scope="col">Billed: OpenRouter</th><th scope="col">Ours: own keys</th><th scope="col">Billed: own keys</th><th scope="col">Our replies</th><th scope="col">OpenRouter requests</th><th scope="col">Difference</th><th scope="col">Status</th></tr></thead><tbody>${
    shown.map(dayRow).join('') || '<tr><td colspan="9">No spend on either side.</td></tr>'
  }</tbody></table><p class="legend">OpenRouter counts every request it billed — retried attempts and other apps on the account too — so its count may exceed our replies.</p>${quiet ? `<p class="legend">${quiet} other day${quiet === 1 ? '' : 's'}: nothing billed on either side.</p>` : ''}</section>`;
}

export function accountSectionsHtml(summary: AccountSummary, setManagementKeyUri = `command:${SET_MANAGEMENT_KEY_COMMAND}`): string {
  return `<section class="account"><h2>Key and account</h2>${keyHtml(summary)}${creditsHtml(summary, setManagementKeyUri)}</section>${reconciliationHtml(summary)}`;
}
