/**
 * <nt-compare>: the comparison table of the open conversation's latest prompt, one row per
 * model, filled in as the replies stream (live character counts from the stream buffer, then
 * each row's stored figures once it settles). Sortable by any column with the mouse or the
 * keyboard (header buttons; `aria-sort` says the order), a row's reply can be viewed, and one
 * picked as the winner, which continues the conversation on its branch and model. Cancel
 * stops every reply at once. The rows come from the host; the view only orders and shows them.
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ComparisonRow, ComparisonView } from '../../shared/protocol';
import { COLUMNS, cellText, nextOrder, sortRows, type SortOrder } from '../compareTable';
import { formatCompact, formatUsd } from '../format';
import type { Appended } from './transcript';
import { emitIntent } from './events';
import { compareStyles } from './compare.styles';

@customElement('nt-compare')
export class NtCompare extends LitElement {
  static override styles = compareStyles;

  @property({ attribute: false }) comparison: ComparisonView | undefined;
  @property({ attribute: false }) conversationId: string | undefined;
  /** Streamed text not yet stored, by reply id: a streaming row counts it live. */
  @property({ attribute: false }) appended: ReadonlyMap<string, Appended> = new Map();
  @state() private order: SortOrder | undefined;

  override render(): TemplateResult | typeof nothing {
    const c = this.comparison;
    if (!c || c.rows.length === 0) return nothing;
    const streaming = c.rows.some((r) => r.status === 'streaming');
    const done = c.rows.filter((r) => r.status !== 'streaming').length;
    const rows = sortRows(c.rows, this.order);
    return html`<section aria-label="Model comparison">
      <header>
        <h2>compare · ${c.rows.length} models</h2>
        <span class="summary" role="status">${done}/${c.rows.length} done · total <span class="cost">${formatUsd(c.totalCost)}</span></span>
        ${streaming && this.conversationId
          ? html`<button type="button" class="tbtn stop" @click=${this.cancel}>cancel all</button>`
          : nothing}
      </header>
      <div class="scroll" role="region" aria-label="Comparison table" tabindex="0">
        <table>
          <caption class="sr-only">
            Replies of ${c.rows.length} models to the same prompt. Sort by a column with its header button.
          </caption>
          <thead>
            <tr>
              ${COLUMNS.map((col) => {
                const sorted = this.order?.key === col.key ? this.order.direction : 'none';
                return html`<th scope="col" aria-sort=${sorted} class=${col.numeric ? 'num' : ''}>
                  <button type="button" class="tbtn sort" aria-label=${`${col.name}: sort`} @click=${() => (this.order = nextOrder(this.order, col.key))}>
                    ${col.label}<span aria-hidden="true">${sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}</span>
                  </button>
                </th>`;
              })}
              <th scope="col"><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((row) => this.renderRow(row, c, streaming))}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  private renderRow(row: ComparisonRow, c: ComparisonView, streaming: boolean): TemplateResult {
    const winner = c.winnerId === row.messageId;
    const active = c.activeId === row.messageId;
    const classes = [winner ? 'winner' : '', active ? 'active' : '', row.status].filter(Boolean).join(' ');
    return html`<tr class=${classes} data-message-id=${row.messageId} data-status=${row.status}>
      ${COLUMNS.map((col) => {
        if (col.key === 'model') return html`<th scope="row" class="model">${this.renderModel(row, winner)}</th>`;
        if (col.key === 'status') return html`<td class="status">${this.statusText(row)}</td>`;
        return html`<td class=${col.numeric ? `num ${col.key}` : col.key}>${cellText(row, col.key)}</td>`;
      })}
      <td class="actions">
        ${active ? html`<span class="showing">shown</span>` : html`<button type="button" class="tbtn" aria-label=${`Show ${row.model}’s reply`} @click=${() => this.show(row)}>show</button>`}
        ${winner
          ? html`<span class="won" aria-label="Winner">★ winner</span>`
          : html`<button
              type="button"
              class="tbtn pick"
              aria-label=${`Pick ${row.model} as the winner`}
              aria-disabled=${streaming || row.status === 'failed' ? 'true' : 'false'}
              @click=${() => this.pick(row, streaming)}
            >
              pick
            </button>`}
      </td>
    </tr>`;
  }

  private renderModel(row: ComparisonRow, winner: boolean): TemplateResult {
    const served = row.servedModel && row.servedModel !== row.model ? row.servedModel : undefined;
    return html`${winner ? html`<span aria-hidden="true" class="star">★ </span>` : nothing}<span class="id">${row.model}</span>${served
        ? html`<span class="served"> → ${served}</span>`
        : nothing}${row.provider ? html`<span class="provider"> · ${row.provider}</span>` : nothing}`;
  }

  private statusText(row: ComparisonRow): TemplateResult | string {
    if (row.status === 'streaming') {
      const live = this.appended.get(row.messageId);
      const chars = (live?.content.length ?? 0) + (live?.reasoning.length ?? 0);
      return html`<span class="live">streaming${chars > 0 ? ` · ${formatCompact(chars)} ch` : '…'}</span>`;
    }
    if (row.status === 'failed') return html`<span class="failed" title=${row.error ?? ''}>failed${row.error ? `: ${row.error}` : ''}</span>`;
    return row.status;
  }

  private readonly cancel = (): void => {
    if (this.conversationId) emitIntent(this, { type: 'chat/cancel', conversationId: this.conversationId });
  };

  private show(row: ComparisonRow): void {
    emitIntent(this, { type: 'chat/switchBranch', messageId: row.messageId });
  }

  private pick(row: ComparisonRow, streaming: boolean): void {
    // aria-disabled keeps the button reachable (and its reason readable) while it cannot act.
    if (streaming || row.status === 'failed') return;
    emitIntent(this, { type: 'compare/pick', messageId: row.messageId });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-compare': NtCompare;
  }
}
