/**
 * <nt-telemetry>: the instrument panel — session and month cost against budget (warning at
 * the host's threshold, error at 100%), tokens in/out, context-window meter with the reply
 * reserve, last TTFT and tok/s, a sparkline of recent reply costs, circuit state, key balance.
 * `variant="strip"` is the one-line form for the narrow sidebar. Bars are SVG shapes sized by
 * attributes (the CSP forbids inline styles); money ratios are computed with BigInt.
 */
import { LitElement, html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { telemetryStyles } from './telemetry.styles';
import type { Telemetry } from '../../shared/protocol';
import { compareDecimal, formatAmount, formatCompact, formatCount, formatDuration, formatPercent, formatRate, formatUsd, ratioBasisPoints } from '../format';
import { emitUi } from './events';

export type Level = 'ok' | 'warn' | 'over';

/** Where a ratio sits against the warning threshold and 100% (both in basis points). */
export function levelOf(basisPoints: number, warnAt: number): Level {
  if (basisPoints >= 10_000) return 'over';
  if (basisPoints >= warnAt) return 'warn';
  return 'ok';
}

const SPARK_BARS = 24;

@customElement('nt-telemetry')
export class NtTelemetry extends LitElement {
  static override styles = telemetryStyles;

  @property({ attribute: false }) telemetry: Telemetry | undefined;
  @property({ reflect: true }) variant: 'rail' | 'strip' = 'rail';
  /** Whether the details drawer is open (strip only). */
  @property({ type: Boolean }) expanded = false;

  override render(): TemplateResult {
    return this.variant === 'strip' ? this.renderStrip() : this.renderRail();
  }

  private renderRail(): TemplateResult {
    const t = this.telemetry;
    if (!t) return html`<section><h2>TELEMETRY</h2><p class="none">No requests yet.</p></section>`;
    const warnAt = t.budget.warnAtBasisPoints;
    return html`
      <section aria-labelledby="cost-h">
        <h2 id="cost-h">TELEMETRY</h2>
        ${this.renderBudget('Session', t.sessionCost, t.budget.session, warnAt)}
        ${this.renderBudget('Month', t.monthCost, t.budget.monthly, warnAt)}
        <div class="row"><span class="label">Lifetime</span><span class="value">${formatUsd(t.lifetimeCost)}</span></div>
      </section>
      <section>
        <div class="row"><span class="label">Tokens in</span><span class="value">${formatCount(t.tokensIn)}</span></div>
        <div class="row"><span class="label">Tokens out</span><span class="value">${formatCount(t.tokensOut)}</span></div>
      </section>
      <section>${this.renderContext(t)}</section>
      <section>
        <div class="row">
          <span class="label">Last TTFT</span><span class="value">${t.lastTtftMs !== undefined ? formatDuration(t.lastTtftMs) : '—'}</span>
        </div>
        <div class="row">
          <span class="label">Last rate</span
          ><span class="value">${t.lastTokensPerSecond !== undefined ? formatRate(t.lastTokensPerSecond) : '—'}</span>
        </div>
      </section>
      <section>
        <div class="row"><span class="label">Recent costs</span><span class="of">${t.recentCosts.length > 0 ? `last ${Math.min(SPARK_BARS, t.recentCosts.length)}` : ''}</span></div>
        ${this.renderSparkline(t.recentCosts)}
      </section>
      <section>
        <div class="row">
          <span class="label">Circuit</span>
          <span class="circuit ${t.circuit}">${t.circuit === 'closed' ? '● closed' : t.circuit === 'open' ? '■ open — paused' : '◐ half-open'}</span>
        </div>
      </section>
      ${this.renderKey(t)}
    `;
  }

  private renderBudget(name: string, spent: string, budget: string | undefined, warnAt: number): TemplateResult {
    if (budget === undefined) {
      return html`<div class="row"><span class="label">${name}</span><span class="big">${formatUsd(spent)}</span></div>
        <div class="row"><span class="of">no ${name.toLowerCase()} budget</span></div>`;
    }
    const bp = ratioBasisPoints(spent, budget) ?? 0;
    const level = levelOf(bp, warnAt);
    return html`
      <div class="row"><span class="label">${name}</span><span class="pct ${level}">${formatPercent(bp)}</span></div>
      ${this.meter(`${name} budget`, bp, level, `${formatPercent(bp)}: ${formatAmount(spent)} of ${formatAmount(budget)}`, warnAt)}
      <div class="row"><span class="big">${formatUsd(spent)}</span><span class="of">of ${formatAmount(budget)}</span></div>
    `;
  }

  private renderContext(t: Telemetry): TemplateResult {
    const c = t.context;
    if (!c || c.limit <= 0) return html`<div class="row"><span class="label">Context</span><span class="none">—</span></div>`;
    const bp = Math.min(1_000_000, Math.floor((c.used * 10_000) / c.limit));
    const usable = c.limit - c.reserve;
    const level: Level = c.used >= usable ? 'over' : bp >= 8000 ? 'warn' : 'ok';
    const reserveStart = Math.max(0, Math.min(1000, (usable * 1000) / c.limit));
    return html`
      <div class="row"><span class="label">Context</span><span class="pct ${level}">${formatPercent(bp)}</span></div>
      <div
        class="meter ${level}"
        role="meter"
        aria-label="Context window"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.min(100, Math.round(bp / 100))}
        aria-valuetext=${`${formatCount(c.used)} of ${formatCount(c.limit)} tokens, ${formatCount(c.reserve)} reserved for the reply`}
      >
        <svg viewBox="0 0 1000 8" preserveAspectRatio="none" aria-hidden="true">
          <rect class="track" width="1000" height="8"></rect>
          <rect class="reserve" x=${reserveStart} width=${1000 - reserveStart} height="8"></rect>
          <rect class="fill" width=${Math.min(1000, bp / 10)} height="8"></rect>
        </svg>
      </div>
      <div class="row"><span class="value">${formatCount(c.used)}</span><span class="of">of ${formatCount(c.limit)}</span></div>
      <div class="row"><span class="of">reply reserve</span><span class="of">${formatCount(c.reserve)}</span></div>
    `;
  }

  private meter(label: string, bp: number, level: Level, valueText: string, warnAt: number): TemplateResult {
    return html`<div
      class="meter ${level}"
      role="meter"
      aria-label=${label}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${Math.min(100, Math.round(bp / 100))}
      aria-valuetext=${valueText}
    >
      <svg viewBox="0 0 1000 8" preserveAspectRatio="none" aria-hidden="true">
        <rect class="track" width="1000" height="8"></rect>
        <rect class="fill" width=${Math.min(1000, bp / 10)} height="8"></rect>
        ${this.variant === 'rail' ? svg`<rect class="tick" x=${Math.min(997, warnAt / 10)} width="3" height="8"></rect>` : nothing}
      </svg>
    </div>`;
  }

  private renderSparkline(costs: readonly string[]): TemplateResult {
    const recent = costs.slice(-SPARK_BARS);
    if (recent.length === 0) return html`<p class="none">No replies yet.</p>`;
    let max = recent[0]!;
    for (const c of recent) if (compareDecimal(c, max) > 0) max = c;
    const bars: SVGTemplateResult[] = recent.map((c, i) => {
      const h = Math.max(compareDecimal(c, '0') > 0 ? 1 : 0, ((ratioBasisPoints(c, max) ?? 0) * 26) / 10_000);
      // Right-aligned: the newest reply is always at the right edge.
      return svg`<rect x=${(SPARK_BARS - recent.length + i) * 5} y=${28 - h} width="4" height=${h}></rect>`;
    });
    const label = `Recent reply costs, oldest first: ${recent.map(formatUsd).join(', ')}`;
    return html`<svg class="spark" viewBox=${`0 0 ${SPARK_BARS * 5} 28`} preserveAspectRatio="none" role="img" aria-label=${label}>
      <rect class="base" x="0" y="27.5" width=${SPARK_BARS * 5} height="0.5"></rect>
      ${bars}
    </svg>`;
  }

  private renderKey(t: Telemetry): TemplateResult {
    const k = t.keyBalance;
    return html`<section>
      <div class="row"><span class="label">Key left</span><span class="value">${k?.remaining !== undefined ? formatAmount(k.remaining) : k ? 'no limit' : '—'}</span></div>
      <div class="row"><span class="label">Key used</span><span class="value">${k ? formatAmount(k.usage) : '—'}</span></div>
    </section>`;
  }

  private renderStrip(): TemplateResult {
    const t = this.telemetry;
    const toggle = () => emitUi(this, { kind: 'toggleDrawer', drawer: 'telemetry' });
    const details = html`<button
      type="button"
      class="tbtn more"
      aria-label="telemetry details"
      title="Telemetry details"
      aria-expanded=${this.expanded ? 'true' : 'false'}
      @click=${toggle}
    >
      <span class="word" aria-hidden="true">telemetry</span> ${this.expanded ? '▾' : '▸'}
    </button>`;
    if (!t) return html`<div class="strip" role="group" aria-label="Telemetry"><span class="items">no requests yet</span>${details}</div>`;
    const budget = t.budget.session;
    const bp = budget !== undefined ? ratioBasisPoints(t.sessionCost, budget) : undefined;
    const level = bp !== undefined ? levelOf(bp, t.budget.warnAtBasisPoints) : 'ok';
    const ctx = t.context && t.context.limit > 0 ? Math.floor((t.context.used * 10_000) / t.context.limit) : undefined;
    const summary = [
      `session ${formatUsd(t.sessionCost)}${bp !== undefined ? ` (${formatPercent(bp)} of ${formatAmount(budget ?? '0')})` : ''}`,
      `in ${formatCompact(t.tokensIn)} · out ${formatCompact(t.tokensOut)} tokens`,
      ctx !== undefined ? `context ${formatPercent(ctx)}` : '',
      t.lastTtftMs !== undefined ? `ttft ${formatDuration(t.lastTtftMs)}` : '',
      t.lastTokensPerSecond !== undefined ? formatRate(t.lastTokensPerSecond) : '',
      t.circuit !== 'closed' ? `circuit ${t.circuit}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    return html`<div class="strip" role="group" aria-label="Telemetry" title=${summary}>
      <span class="items">
        <span class="budget"
          ><span class="cost">${formatUsd(t.sessionCost)}</span>
          ${bp !== undefined
            ? html`${this.meter('Session budget', bp, level, `${formatPercent(bp)} of ${formatAmount(budget ?? '0')}`, t.budget.warnAtBasisPoints)}<span
                  class="pct ${level}"
                  >${formatPercent(bp)}</span
                >`
            : nothing}</span
        >
        <span>in ${formatCompact(t.tokensIn)} · out ${formatCompact(t.tokensOut)}</span>
        ${ctx !== undefined ? html`<span>ctx ${formatPercent(ctx)}</span>` : nothing}
        ${t.lastTtftMs !== undefined ? html`<span>ttft ${formatDuration(t.lastTtftMs)}</span>` : nothing}
        ${t.lastTokensPerSecond !== undefined ? html`<span>${formatRate(t.lastTokensPerSecond)}</span>` : nothing}
        ${t.circuit !== 'closed' ? html`<span class="circuit ${t.circuit}">circuit ${t.circuit}</span>` : nothing}
      </span>
      ${details}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-telemetry': NtTelemetry;
  }
}
