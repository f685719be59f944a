/**
 * <nt-models>: the model catalogue drawer — filter by text, free only, sort by price (input,
 * then output; exact decimal comparison) or context length; prices per million tokens, or
 * "varies" for router models whose price depends on where the request lands.
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { modelsStyles } from './models.styles';
import { repeat } from 'lit/directives/repeat.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { ModelView, PriceView } from '../../shared/protocol';
import { compareDecimal, formatPerMillion } from '../format';
import { formatContextLength } from '../../shared/contextLength';
import { emitIntent, emitUi, type ModelSort } from './events';

/** Fixed prices ascending; variable prices after every fixed one. */
function comparePrice(a: PriceView, b: PriceView): number {
  if (a.kind === 'variable' || b.kind === 'variable') return (a.kind === 'variable' ? 1 : 0) - (b.kind === 'variable' ? 1 : 0);
  return compareDecimal(a.perMillion, b.perMillion);
}

export function sortModels(models: readonly ModelView[], sort: ModelSort): ModelView[] {
  const out = [...models];
  if (sort === 'price') out.sort((a, b) => comparePrice(a.prompt, b.prompt) || comparePrice(a.completion, b.completion) || a.id.localeCompare(b.id));
  else if (sort === 'context') out.sort((a, b) => b.contextLength - a.contextLength || a.id.localeCompare(b.id));
  else out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return out;
}

export function filterModels(models: readonly ModelView[], query: string, freeOnly: boolean): ModelView[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  return models.filter((m) => {
    if (freeOnly && !m.free) return false;
    const hay = `${m.id} ${m.name}`.toLowerCase();
    return terms.every((t) => hay.includes(t));
  });
}

function price(p: PriceView): string {
  return p.kind === 'variable' ? 'varies' : formatPerMillion(p.perMillion);
}

const SORTS: readonly [ModelSort, string][] = [
  ['price', 'price'],
  ['context', 'context'],
  ['name', 'name'],
];

@customElement('nt-models')
export class NtModels extends LitElement {
  static override styles = modelsStyles;

  @property({ attribute: false }) models: readonly ModelView[] | undefined;
  @property() selected = '';
  @property({ type: Boolean }) stale = false;
  @property() query = '';
  @property() sort: ModelSort = 'price';
  @property({ type: Boolean }) freeOnly = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.models) emitIntent(this, { type: 'models/list' });
  }

  override render(): TemplateResult {
    const shown = this.models ? sortModels(filterModels(this.models, this.query, this.freeOnly), this.sort) : undefined;
    return html`
      <div class="filters">
        <vscode-textfield type="search" .label=${'Filter models'} placeholder="filter by name or id" .value=${this.query} @input=${this.onQuery}></vscode-textfield>
        <vscode-checkbox .checked=${this.freeOnly} @change=${this.onFree}>Free only</vscode-checkbox>
        <div class="sorts" role="group" aria-label="Sort models by">
          <span class="label">sort</span>
          ${SORTS.map(
            ([key, text]) =>
              html`<button type="button" class="tbtn" aria-pressed=${this.sort === key ? 'true' : 'false'} @click=${() => this.setSort(key)}>${text}</button>`,
          )}
        </div>
      </div>
      ${this.stale ? html`<p class="stale">Catalogue from cache — it may be out of date.</p>` : nothing}
      <div class="drawer-body">
        ${!shown
          ? html`<p class="empty">loading catalogue…</p>`
          : shown.length === 0
            ? html`<p class="empty">No model matches.</p>`
            : html`<ul class="list" aria-label="Models">
                ${repeat(
                  shown,
                  (m) => m.id,
                  (m) => html`<li>
                    <button type="button" class="tbtn model" aria-current=${m.id === this.selected ? 'true' : 'false'} @click=${() => this.select(m.id)}>
                      <span class="name">${m.name}</span>
                      <span class="id">${m.id}</span>
                      <span class="prices">${this.renderPrices(m)} · ${formatContextLength(m.contextLength)} ctx</span>
                    </button>
                  </li>`,
                )}
              </ul>`}
      </div>
    `;
  }

  private renderPrices(m: ModelView): TemplateResult {
    if (m.free) return html`<span class="free">free</span>`;
    const one = (p: PriceView) => (p.kind === 'variable' ? html`<span class="varies">varies</span>` : html`<span class="num">${price(p)}</span>`);
    return html`${one(m.prompt)} in · ${one(m.completion)} out /1M`;
  }

  private select(modelId: string): void {
    emitIntent(this, { type: 'models/select', modelId });
  }

  private readonly onQuery = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    this.save();
  };

  private readonly onFree = (event: Event): void => {
    this.freeOnly = (event.target as HTMLInputElement).checked;
    this.save();
  };

  private setSort(sort: ModelSort): void {
    this.sort = sort;
    this.save();
  }

  private save(): void {
    emitUi(this, { kind: 'modelFilters', query: this.query, sort: this.sort, freeOnly: this.freeOnly });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-models': NtModels;
  }
}
