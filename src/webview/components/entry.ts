/**
 * <nt-entry>: one log entry of the transcript — a metadata line, the content, and the
 * entry's actions. Assistant content is markdown drawn incrementally (finished blocks are
 * kept, only the open block is redrawn per frame); user and system text is shown verbatim.
 * Receives an immutable `EntryView`: an unchanged entry is never re-rendered.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { EntryView, Mode } from '../../shared/protocol';
import { MarkdownView } from '../markdown/markdownView';
import { formatClock, formatCount, formatDuration, formatRate, formatUsd } from '../format';
import { emitIntent } from './events';
import { extraStats, renderCitations } from './entryExtras';
import { entryStyles } from './entry.styles';
import { LongContent } from './longContent';
import { CursorIdle } from './cursorIdle';
import { longContentStyles } from './longContent.styles';
import './attachmentChips';
import './sentCode';
import { parseLocation, splitSentSelection, type SentCode } from '../../shared/sentSelection';

const ROLE_LABEL = { user: 'USER', assistant: 'ASSISTANT', system: 'SYSTEM' } as const;
/** Metadata kept on the one-line header of the narrow sidebar: role · model · cost · tok/s. */
const PRIMARY: ReadonlySet<string> = new Set(['model', 'cost', 'rate', 'live']);

@customElement('nt-entry')
export class NtEntry extends LitElement {
  static override styles = [...entryStyles, longContentStyles];

  @property({ attribute: false }) entry!: EntryView;
  /** The entry's content including streamed deltas not yet folded in by the host. */
  @property({ attribute: false }) content = '';
  @property({ attribute: false }) reasoning = '';
  @property({ reflect: true }) mode: Mode = 'research';
  @state() private editing = false;
  private markdown: MarkdownView | undefined;
  /** The user text last split into typed text and appended selection (kept while the text is the same). */
  private split: { content: string; typed: string; code: SentCode | undefined } | undefined;
  /** Bounds what this entry draws: a very long text opens collapsed. */
  private readonly long = new LongContent(this);
  /** The streaming cursor blinks only while no text arrives. */
  private readonly cursorIdle = new CursorIdle();

  /** What a screen reader should hear for this entry: the rendered text, without toolbar labels. */
  spokenText(): string {
    const root = this.renderRoot.querySelector('.md');
    if (!root) return this.content;
    let text = '';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement?.closest('.code-bar')) text += `${n.textContent ?? ''} `;
    }
    return text;
  }

  override render(): TemplateResult {
    const e = this.entry;
    const streaming = e.status === 'streaming';
    this.long.observe(streaming);
    return html`
      <article class=${e.role} data-id=${e.id} data-status=${e.status} aria-busy=${streaming ? 'true' : 'false'} tabindex="-1">
        <div class="body">
        <div class="meta">
          ${e.branch.count > 1 ? this.renderBranch(e) : nothing}<span class="time">[${formatClock(e.createdAt)}]</span>
          <span class="role">${ROLE_LABEL[e.role]}</span>${this.renderStats(e)}
        </div>
        ${this.reasoning ? this.renderReasoning(streaming) : nothing}
        <div class="content">
          ${e.role === 'assistant'
            ? html`<div class="md ${streaming ? 'streaming' : ''}"></div>`
            : this.editing
              ? this.renderEditor()
              : this.renderPlain(e)}
          ${this.editing ? nothing : this.long.renderToggle(this.shownText(e))}
        </div>
        ${e.attachments?.length ? html`<nt-attachment-chips readonly .items=${e.attachments}></nt-attachment-chips>` : nothing}
        ${e.role === 'assistant' ? renderCitations(e, (url) => emitIntent(this, { type: 'editor/openLink', url })) : nothing}
        ${this.renderProblem(e)}
        ${e.pii && Object.keys(e.pii).length > 0
          ? html`<p class="pii">PII redacted: ${Object.entries(e.pii).map(([k, n]) => `${k} ×${n}`).join(', ')}</p>`
          : nothing}
        </div>
        ${streaming || this.editing ? nothing : this.renderActions(e)}
      </article>
    `;
  }

  /**
   * A streaming reply's frame of tokens changes only `content`: the markdown view takes the new
   * text directly, without re-rendering the entry's template (its header, stats and actions are
   * the same). Anything else takes the full render.
   */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (!this.markdown || changed.size !== 1 || !changed.has('content') || this.long.collapsed) return true;
    if (this.entry.role !== 'assistant' || this.entry.status !== 'streaming') return true;
    this.markdown.update(this.content, false);
    this.cursorIdle.grew(this.markdown.root);
    return false;
  }

  /** User and system text verbatim; code sent from the editor as highlighted code under its `path:lines`. */
  private renderPlain(e: EntryView): TemplateResult {
    const typed = this.shownText(e);
    const sent: SentCode[] = (e.sentCode ?? []).map((c) => ({ ...c, location: parseLocation(c.label) }));
    if (this.split?.code) sent.push(this.split.code);
    return html`${typed || sent.length === 0 ? html`<p class="plain">${this.long.visible(typed)}</p>` : nothing}${sent.map(
      (code) => html`<nt-sent-code .code=${code} messageId=${e.id}></nt-sent-code>`,
    )}`;
  }

  /** The text shown as typed: a user message's appended selection is drawn as code instead. */
  private shownText(e: EntryView): string {
    if (e.role !== 'user') return this.content;
    if (this.split?.content !== this.content) this.split = { content: this.content, ...splitSentSelection(this.content) };
    return this.split.typed;
  }

  protected override updated(): void {
    this.titleMeta();
    if (this.entry.role !== 'assistant') return;
    if (!this.markdown) {
      const root = this.renderRoot.querySelector<HTMLElement>('.md');
      if (!root) return;
      this.markdown = new MarkdownView(root, {
        incremental: !naiveBaseline(),
        onLink: (url) => emitIntent(this, { type: 'editor/openLink', url }),
        onCodeAction: ({ action, code, language }) =>
          emitIntent(this, { type: 'editor/codeAction', action, code, ...(language ? { language } : {}) }),
      });
    }
    // Every update: "show all" changes what is shown without changing a property.
    const shown = this.long.visible(this.content);
    this.markdown.update(shown, this.entry.status !== 'streaming' && shown.length === this.content.length);
    if (this.entry.status === 'streaming') this.cursorIdle.grew(this.markdown.root);
    else this.cursorIdle.stop(this.markdown.root);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cursorIdle.stop(this.markdown?.root);
    this.markdown?.dispose();
    this.markdown = undefined;
  }

  /** Focuses the article (keyboard navigation through the log). */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('article')?.focus();
  }

  /**
   * The metadata after the role. In the narrow sidebar only the model, cost, rate and live
   * state stay on the line; the rest (`extra`) is in the line's tooltip and shows when the
   * entry has focus (entry.styles.ts), and screen readers always hear all of it.
   */
  private renderStats(e: EntryView): TemplateResult {
    const items: [cls: string, value: unknown][] = [];
    if (e.status === 'streaming') {
      if (e.model) items.push(['model', e.model]);
      items.push(['live', 'streaming…']);
    } else {
      const research = this.mode === 'research';
      if (e.model && research) items.push(['model', e.model]);
      const tokens = tokenText(e, research);
      if (tokens) items.push(['', tokens]);
      if (e.cost !== undefined) {
        items.push(['cost', html`${formatUsd(e.cost)}${e.costSource === 'estimate' ? html` <span class="est">(est.)</span>` : nothing}`]);
      }
      if (e.role === 'assistant') items.push(...extraStats(e, research));
      if (research) {
        if (e.latencyMs !== undefined) items.push(['', formatDuration(e.latencyMs)]);
        if (e.ttftMs !== undefined) items.push(['', `ttft ${formatDuration(e.ttftMs)}`]);
        if (e.tokensPerSecond !== undefined) items.push(['rate', formatRate(e.tokensPerSecond)]);
        if (e.finishReason && e.finishReason !== 'stop' && e.status === 'complete') items.push(['', `finish: ${e.finishReason}`]);
      }
    }
    // Real separators (hidden from screen readers), so copied text reads like the log line.
    return html`${items.map(
      ([cls, value]) =>
        html`<span class="item ${PRIMARY.has(cls) ? cls : 'extra'}"
          ><span class="sep" aria-hidden="true"> · </span><span class="stat ${cls}" title=${cls === 'model' ? String(value) : nothing}>${value}</span></span
        >`,
    )}`;
  }

  /** The whole metadata line as text, for its tooltip where the narrow line shows only part. */
  private titleMeta(): void {
    const meta = this.renderRoot.querySelector<HTMLElement>('.meta');
    const text = (meta?.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (meta && meta.title !== text) meta.title = text;
  }

  private renderBranch(e: EntryView): TemplateResult {
    const { index, count, prevId, nextId } = e.branch;
    const go = (id: string | undefined) => {
      if (id) emitIntent(this, { type: 'chat/switchBranch', messageId: id });
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'ArrowLeft') go(prevId);
      else if (event.key === 'ArrowRight') go(nextId);
      else return;
      event.preventDefault();
    };
    return html`<span class="branch" role="group" aria-label=${`Branch ${index} of ${count}`} @keydown=${onKey}>
      <button type="button" class="tbtn" aria-label="Previous branch" ?disabled=${!prevId} @click=${() => go(prevId)}>◀</button>
      <span aria-hidden="true">${index}/${count}</span>
      <button type="button" class="tbtn" aria-label="Next branch" ?disabled=${!nextId} @click=${() => go(nextId)}>▶</button>
    </span>`;
  }

  private renderReasoning(streaming: boolean): TemplateResult {
    const tokens = this.entry.reasoningTokens;
    return html`<details class="reasoning">
      <summary>${streaming && !this.content ? 'reasoning…' : 'reasoning'}${tokens ? ` · ${formatCount(tokens)} tok` : ''}</summary>
      <pre class="reasoning-text">${this.reasoning}</pre>
    </details>`;
  }

  private renderProblem(e: EntryView): TemplateResult | typeof nothing {
    if (e.status !== 'failed' && e.status !== 'partial') return nothing;
    const tag = e.status === 'failed' ? 'FAILED' : 'PARTIAL';
    const why = e.error?.message ?? (e.status === 'failed' ? 'The request failed.' : e.finishReason === 'cancelled' ? 'You cancelled this reply; the text that arrived was kept.' : 'The reply stopped before it finished.');
    return html`<p class="problem ${e.status}">
      <span class="tag">${tag}</span> <span>${why}</span>
      <button type="button" class="tbtn" @click=${() => emitIntent(this, { type: 'chat/retry', messageId: e.id })}>Retry</button>
    </p>`;
  }

  private renderActions(e: EntryView): TemplateResult {
    const id = e.id;
    return html`<div class="actions" role="toolbar" aria-label="Message actions">
      <button type="button" class="tbtn" @click=${() => emitIntent(this, { type: 'editor/copyText', text: this.content })}>copy</button>
      ${e.role === 'user'
        ? html`<button type="button" class="tbtn" aria-label="Edit and resend" @click=${this.startEdit}>edit</button>`
        : nothing}
      ${e.role === 'assistant' && e.status !== 'failed' && e.status !== 'partial'
        ? html`<button type="button" class="tbtn" @click=${() => emitIntent(this, { type: 'chat/regenerate', messageId: id })}>regenerate</button>`
        : nothing}
      ${e.role !== 'system'
        ? html`<button type="button" class="tbtn" aria-label="Fork from here" @click=${() => emitIntent(this, { type: 'chat/fork', messageId: id })}>fork</button>`
        : nothing}
      ${e.role !== 'system'
        ? html`<button
            type="button"
            class="tbtn"
            aria-label="Delete message"
            title="Delete this message and the replies under it (the host asks first)"
            @click=${() => emitIntent(this, { type: 'chat/deleteMessage', messageId: id })}
          >delete</button>`
        : nothing}
    </div>`;
  }

  private renderEditor(): TemplateResult {
    const submit = () => {
      const area = this.renderRoot.querySelector('textarea');
      const text = area?.value ?? '';
      if (!text.trim()) return;
      this.editing = false;
      emitIntent(this, { type: 'chat/editAndResend', messageId: this.entry.id, text });
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.stopEdit();
      }
    };
    return html`<div class="edit">
      <textarea aria-label="Edit message" .value=${this.content} @keydown=${onKey}></textarea>
      <div class="edit-bar">
        <button type="button" class="tbtn" @click=${this.stopEdit}>Cancel edit</button>
        <button type="button" class="tbtn primary" @click=${submit}>Resend</button>
      </div>
    </div>`;
  }

  private readonly startEdit = async (): Promise<void> => {
    this.editing = true;
    await this.updateComplete;
    const area = this.renderRoot.querySelector('textarea');
    area?.focus();
    area?.setSelectionRange(area.value.length, area.value.length);
  };

  private readonly stopEdit = async (): Promise<void> => {
    this.editing = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.actions button')?.focus();
  };
}

function tokenText(e: EntryView, research: boolean): string | undefined {
  if (e.role === 'assistant') {
    const out = e.completionTokens;
    if (out === undefined) return undefined;
    if (!research || e.promptTokens === undefined) return `${formatCount(out)} tok`;
    const extra = [
      e.reasoningTokens ? `${formatCount(e.reasoningTokens)} reasoning` : '',
      e.cachedTokens ? `${formatCount(e.cachedTokens)} cached` : '',
    ].filter(Boolean);
    return `${formatCount(e.promptTokens)} in → ${formatCount(out)} out${extra.length ? ` (${extra.join(', ')})` : ''}`;
  }
  const n = e.promptTokens;
  return n === undefined ? undefined : `${formatCount(n)} tok`;
}

/**
 * The bench's baseline build defines NT_BENCH_NAIVE_MARKDOWN to re-render whole replies on
 * every update; in the shipped bundle the name is undefined and this is always false.
 */
declare const NT_BENCH_NAIVE_MARKDOWN: boolean | undefined;
function naiveBaseline(): boolean {
  return typeof NT_BENCH_NAIVE_MARKDOWN !== 'undefined' && NT_BENCH_NAIVE_MARKDOWN === true;
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-entry': NtEntry;
  }
}
