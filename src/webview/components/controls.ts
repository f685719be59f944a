/**
 * <nt-controls>: the composer's compact OpenRouter picker — provider routing
 * (sort, a preferred provider from the model's endpoints, no data collection,
 * zero data retention, no fallbacks), reasoning effort (only when the catalog
 * says the model takes it) and a web search toggle for this send. Routing and
 * reasoning start from the conversation's last choice (the host sends it); web
 * search starts off for every send. The composer reads `value()` when it sends
 * or asks for an estimate; a change asks for a fresh estimate.
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ControlsView, HostMessage } from '../../shared/protocol';
import { sharedStyles } from '../styles/shared';
import { controlsStyles } from './controls.styles';
import { formatPerMillion } from '../format';

export type ControlsState = Extract<HostMessage, { type: 'controls/state' }>;
type Routing = NonNullable<ControlsView['routing']>;
type Effort = NonNullable<NonNullable<ControlsView['reasoning']>['effort']>;

@customElement('nt-controls')
export class NtControls extends LitElement {
  static override styles = [
    sharedStyles,
    controlsStyles,
  ];

  @property({ attribute: false }) state: ControlsState | undefined;
  @state() private routing: Routing = {};
  @state() private effort: Effort | '' = '';
  @state() private web = false;
  private appliedFrom: ControlsState | undefined;

  /** The controls for the next send. */
  value(): ControlsView {
    const routing = Object.fromEntries(Object.entries(this.routing).filter(([, v]) => v !== undefined && v !== false)) as Routing;
    if (this.routing.allowFallbacks === false) routing.allowFallbacks = false;
    return {
      ...(Object.keys(routing).length ? { routing } : { routing: {} }),
      ...(this.effort && this.state?.reasoning ? { reasoning: { effort: this.effort } } : {}),
      ...(this.web ? { webSearch: true } : {}),
    };
  }

  /** After a send: web search is asked for one send at a time. */
  sent(): void {
    this.web = false;
  }

  override willUpdate(): void {
    // A new state from the host (conversation or model changed) resets the picker to it.
    if (this.state && this.state !== this.appliedFrom) {
      this.appliedFrom = this.state;
      this.routing = { ...(this.state.current.routing ?? {}) };
      this.effort = this.state.current.reasoning?.effort ?? '';
    }
  }

  override render(): TemplateResult {
    const s = this.state;
    const r = this.routing;
    const preferred = r.order?.[0] ?? r.only?.[0] ?? '';
    return html`
      <label title="Provider sort (OpenRouter provider.sort)"
        >route
        <select class="sort" aria-label="Provider sort" @change=${(e: Event) => this.setRouting({ sort: pick(e) as Routing['sort'] })}>
          ${(['', 'price', 'throughput', 'latency'] as const).map(
            (v) => html`<option value=${v} ?selected=${(r.sort ?? '') === v}>${v || 'auto'}</option>`,
          )}
        </select></label
      >
      ${s?.providers.length
        ? html`<label title="Preferred provider (provider.order); only it when fallbacks are off"
            >via
            <select class="provider" aria-label="Provider" @change=${this.onProvider}>
              <option value="" ?selected=${preferred === ''}>any</option>
              ${s.providers.map(
                (p) =>
                  html`<option value=${p.tag} ?selected=${preferred === p.tag}>
                    ${p.name} ${p.prompt.kind === 'fixed' ? `${formatPerMillion(p.prompt.perMillion)}` : ''}
                  </option>`,
              )}
            </select></label
          >`
        : nothing}
      <label title="Only providers that do not store or train on prompts (data_collection: deny)"
        ><input type="checkbox" class="nodata" .checked=${r.denyDataCollection === true} @change=${(e: Event) => this.setRouting({ denyDataCollection: checked(e) || undefined })} />no-train</label
      >
      <label title="Zero data retention endpoints only (zdr)"
        ><input type="checkbox" class="zdr" .checked=${r.zdr === true} @change=${(e: Event) => this.setRouting({ zdr: checked(e) || undefined })} />ZDR</label
      >
      <label title="Fail rather than use another provider (allow_fallbacks: false)"
        ><input
          type="checkbox"
          class="nofallback"
          .checked=${r.allowFallbacks === false}
          @change=${(e: Event) => this.setRouting({ allowFallbacks: checked(e) ? false : undefined })}
        />strict</label
      >
      ${s?.reasoning
        ? html`<label title="Reasoning effort (from the model's supported parameters)"
            >think
            <select class="effort" aria-label="Reasoning effort" @change=${(e: Event) => this.setEffort(pick(e) as Effort | '')}>
              <option value="" ?selected=${this.effort === ''}>default</option>
              ${s.reasoning.efforts.map((v) => html`<option value=${v} ?selected=${this.effort === v}>${v}</option>`)}
            </select></label
          >`
        : nothing}
      <label title="Web search for this send, priced per result; sources are shown under the reply"
        ><input type="checkbox" class="web" .checked=${this.web} @change=${(e: Event) => this.setWeb(checked(e))} />web</label
      >
    `;
  }

  private setRouting(patch: Partial<Routing>): void {
    const next: Routing = { ...this.routing, ...patch };
    for (const k of Object.keys(next) as (keyof Routing)[]) if (next[k] === undefined) delete next[k];
    this.routing = next;
    this.changed();
  }

  private readonly onProvider = (e: Event): void => {
    const tag = pick(e);
    const { order: _o, only: _n, ...rest } = this.routing;
    this.routing = tag ? { ...rest, order: [tag] } : rest;
    this.changed();
  };

  private setEffort(effort: Effort | ''): void {
    this.effort = effort;
    this.changed();
  }

  private setWeb(on: boolean): void {
    this.web = on;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new CustomEvent('nt-controls-change', { bubbles: true, composed: true }));
  }
}

function pick(e: Event): string {
  return (e.target as HTMLSelectElement).value;
}

function checked(e: Event): boolean {
  return (e.target as HTMLInputElement).checked;
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-controls': NtControls;
  }
}
