/**
 * <nt-notices>: problems and states the user should know about, as the seed's error matrix:
 * 429 → cooldown countdown; 503 → switch to the suggested fallback; 400 context → Summarize;
 * stall → "model is thinking…" with Cancel; 402 balance; 401 key prompt; 403 moderation
 * reasons. Errors are `role="alert"`, the rest `role="status"`. Notices sit beside the composer
 * and never take focus, so typing goes on. Actions come from the host; when it sends none for
 * a known kind, the kind's usual remedy is offered.
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { noticesStyles } from './notices.styles';
import { repeat } from 'lit/directives/repeat.js';
import type { Notice, NoticeAction } from '../../shared/protocol';
import { emitIntent } from './events';

type ActionView = { readonly action: NoticeAction; readonly label: string; readonly arg?: string };

/** The usual remedy per kind, used only when the host sent no actions. */
const DEFAULT_ACTIONS: Readonly<Record<string, readonly ActionView[]>> = {
  rate_limited: [{ action: 'retry', label: 'Retry now' }],
  unavailable: [{ action: 'switchModel', label: 'Switch model' }],
  provider: [{ action: 'switchModel', label: 'Switch model' }],
  context_length: [{ action: 'summarize', label: 'Summarize' }],
  stalled: [{ action: 'cancel', label: 'Cancel' }],
  no_credits: [{ action: 'lowerMaxTokens', label: 'Lower max tokens' }],
  unauthorized: [{ action: 'setApiKey', label: 'Set API key' }],
  missing_key: [{ action: 'setApiKey', label: 'Set API key' }],
  budget_exceeded: [{ action: 'overrideBudget', label: 'Send anyway' }],
};

/**
 * Success feedback: shown as a status that goes away by itself, never a card that piles up. A cancel
 * is the user's own act, and the cancelled entry says so beside its Retry: its card only confirms.
 */
const TRANSIENT_KINDS = new Set(['forked', 'exported', 'imported', 'renamed', 'saved', 'cancelled']);
const TRANSIENT_MS = 8000;
/** Past this many notices only the newest show, with a toggle for the rest. */
const COLLAPSE_AFTER = 2;

const GLYPH: Readonly<Record<Notice['severity'], string>> = { error: '✗', warning: '!', info: '›' };

@customElement('nt-notices')
export class NtNotices extends LitElement {
  static override styles = noticesStyles;

  @property({ attribute: false }) notices: readonly Notice[] = [];
  @state() private now = Date.now();
  @state() private expanded = false;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly fading = new Map<string, ReturnType<typeof setTimeout>>();

  override render(): TemplateResult {
    // Collapsed: the newest notices only (errors first among them), the rest behind a toggle.
    const hidden = this.expanded ? 0 : Math.max(0, this.notices.length - COLLAPSE_AFTER);
    const shown = hidden > 0 ? this.notices.slice(hidden) : this.notices;
    // Two live regions, always present, so a new notice is announced when it is added.
    const alerts = shown.filter((n) => n.severity === 'error');
    const statuses = shown.filter((n) => n.severity !== 'error');
    return html`
      <div role="alert">
        ${alerts.length > 0 ? html`<ul aria-label="Errors">${repeat(alerts, (n) => n.id, (n) => this.renderNotice(n))}</ul>` : nothing}
      </div>
      <div role="status">
        ${statuses.length > 0
          ? html`<ul aria-label="Notices">${repeat(statuses, (n) => n.id, (n) => this.renderNotice(n))}</ul>`
          : nothing}
      </div>
      ${this.notices.length > COLLAPSE_AFTER
        ? html`<button type="button" class="tbtn toggle" aria-expanded=${this.expanded ? 'true' : 'false'} @click=${() => (this.expanded = !this.expanded)}>
            ${this.expanded ? 'show fewer notices' : `${hidden} more ${hidden === 1 ? 'notice' : 'notices'}`}
          </button>`
        : nothing}
    `;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A new notice counts from now, not from when the ticker last ran.
    if (changed.has('notices')) {
      this.now = Date.now();
      this.scheduleFading();
    }
  }

  /** Success notices dismiss themselves after a while (the host drops them on dismissNotice). */
  private scheduleFading(): void {
    const present = new Set(this.notices.map((n) => n.id));
    for (const [id, timer] of this.fading) {
      if (!present.has(id)) {
        clearTimeout(timer);
        this.fading.delete(id);
      }
    }
    for (const n of this.notices) {
      if (!TRANSIENT_KINDS.has(n.kind) || n.severity !== 'info' || this.fading.has(n.id)) continue;
      this.fading.set(
        n.id,
        setTimeout(() => emitIntent(this, { type: 'notice/dismiss', noticeId: n.id }), TRANSIENT_MS),
      );
    }
  }

  override updated(): void {
    const counting = this.notices.some((n) => n.retryAt !== undefined && n.retryAt > Date.now());
    if (counting && !this.ticker) {
      this.ticker = setInterval(() => {
        this.now = Date.now();
        if (!this.notices.some((n) => n.retryAt !== undefined && n.retryAt > this.now)) this.stopTicker();
      }, 250);
    } else if (!counting) {
      this.stopTicker();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTicker();
    for (const timer of this.fading.values()) clearTimeout(timer);
    this.fading.clear();
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private renderNotice(n: Notice): TemplateResult {
    const offered: readonly ActionView[] = n.actions && n.actions.length > 0 ? n.actions : (DEFAULT_ACTIONS[n.kind] ?? []);
    // One Retry per failure: a notice about a message leaves Retry to that message's own button.
    const actions = n.messageId !== undefined ? offered.filter((a) => a.action !== 'retry') : offered;
    const stalled = n.kind === 'stalled';
    return html`<li class=${n.severity} data-kind=${n.kind} data-id=${n.id}>
      <span class="glyph" aria-hidden="true">${GLYPH[n.severity]}</span>
      <div class="body">
        ${stalled ? html`<span class="message thinking">model is thinking</span> ` : nothing}
        <span class="message">${n.message}</span>
        ${n.retryAt !== undefined ? this.renderCountdown(n.retryAt) : nothing}
        ${actions.length > 0
          ? html`<div class="actions">
              ${actions.map(
                (a, i) =>
                  html`<button
                    type="button"
                    class="tbtn ${i === 0 ? 'primary' : ''}"
                    @click=${() => emitIntent(this, { type: 'notice/act', noticeId: n.id, action: a.action, ...(a.arg !== undefined ? { arg: a.arg } : {}) })}
                  >
                    ${a.label}
                  </button>`,
              )}
            </div>`
          : nothing}
      </div>
      <button type="button" class="tbtn dismiss" aria-label="Dismiss" @click=${() => emitIntent(this, { type: 'notice/dismiss', noticeId: n.id })}>
        ×
      </button>
    </li>`;
  }

  /** The cooldown. role=timer is not live: the seconds tick silently after the notice is announced. */
  private renderCountdown(retryAt: number): TemplateResult {
    const seconds = Math.max(0, Math.ceil((retryAt - this.now) / 1000));
    return html` <span class="timer" role="timer" aria-live="off">${seconds > 0 ? `retrying in ${seconds} s` : 'retrying…'}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-notices': NtNotices;
  }
}
