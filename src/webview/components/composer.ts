/**
 * <nt-composer>: the prompt line. Enter sends, Shift+Enter adds a line, Esc cancels a
 * streaming reply. Shows the selected model (click to change) and a live token/cost estimate
 * of the next send, asked of the host after typing pauses. Typing is never blocked — not by
 * a stream, a notice or a missing key.
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { sharedStyles } from '../styles/shared';
import { formatCount, formatUsd } from '../format';
import { emitIntent, emitUi } from './events';
import './controls';
import type { ControlsState, NtControls } from './controls';
import './attachmentChips';
import type { ChipView } from './attachmentChips';
import { filesOf, mediaRequests } from './mediaFiles';
import { MentionController } from './mentionController';
import { composerMentionStyles, composerStyles } from './composer.styles';

export interface EstimateView {
  readonly promptTokens: number;
  readonly cost?: string;
  readonly varies: boolean;
  /** The provider the routing picks (the estimate uses its prices). */
  readonly provider?: string;
  /** Why no provider meets the routing: said before the send, instead of a price. */
  readonly noProvider?: string;
}

const ESTIMATE_DELAY_MS = 350;

@customElement('nt-composer')
export class NtComposer extends LitElement {
  static override styles = [
    sharedStyles,
    composerMentionStyles,
    composerStyles,
  ];

  @property() model = '';
  @property({ type: Boolean }) streaming = false;
  @property() conversationId: string | undefined;
  @property({ attribute: false }) estimate: EstimateView | undefined;
  /** The OpenRouter picker's state from the host (undefined until it arrives). */
  @property({ attribute: false }) controls: ControlsState | undefined;
  @query('nt-controls') private picker: NtControls | null | undefined;
  @property({ reflect: true }) mode = 'research';
  /** Draft restored from view state (applied once). */
  @property({ attribute: false }) draft = '';
  /** The chips waiting for the next send (the host holds their text). */
  @property({ attribute: false }) attachments: readonly ChipView[] = [];
  private readonly mention = new MentionController(this, (kind, rest) => {
    this.text = rest;
    if (this.area) this.area.value = rest;
    emitUi(this, { kind: 'draft', text: rest });
    emitIntent(this, { type: 'attach/pick', source: kind });
  });
  @state() private text = '';
  @query('textarea') private area!: HTMLTextAreaElement;
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  private draftApplied = false;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!this.draftApplied && this.draft) {
      this.text = this.draft;
      this.draftApplied = true;
    }
    // A chip came or went: the estimate must include what the send now carries.
    if (changed.has('attachments') && changed.get('attachments') !== undefined && (this.text.trim() || this.attachments.length)) {
      clearTimeout(this.estimateTimer);
      this.estimateTimer = setTimeout(() => emitIntent(this, { type: 'chat/estimate', text: this.text, ...this.pickerValue() }), 0);
    }
  }

  private get hasContent(): boolean {
    return this.text.trim().length > 0 || this.attachments.length > 0;
  }

  override render(): TemplateResult {
    const canSend = this.hasContent && !this.streaming;
    return html`
      <div class="top">
        <button type="button" class="tbtn model" aria-label=${`Model: ${this.model || 'none'}. Change model`} @click=${this.pickModel}>
          <span class="glyph" aria-hidden="true">◆</span> ${this.model || 'choose a model'}
        </button>
        ${this.hasContent && this.estimate ? this.renderEstimate(this.estimate) : nothing}
      </div>
      <nt-attachment-chips .items=${this.attachments} @nt-remove-attachment=${this.onRemoveAttachment}></nt-attachment-chips>
      ${this.renderMentions()}
      <div class="field" @dragover=${this.onDragOver} @drop=${this.onDrop}>
        <span class="prompt" aria-hidden="true">&gt;</span>
        <textarea
          aria-label="Message"
          aria-autocomplete="list"
          aria-controls=${this.mention.open ? 'mentions' : nothing}
          aria-activedescendant=${this.mention.open ? `mention-${this.mention.active}` : nothing}
          placeholder=${this.streaming ? 'Streaming… Esc cancels' : 'Ask anything · @ attaches context'}
          .value=${this.text}
          @input=${this.onInput}
          @keydown=${this.onKey}
          @paste=${this.onPaste}
        ></textarea>
      </div>
      <nt-controls .state=${this.controls} @nt-controls-change=${this.onControlsChange}></nt-controls>
      <div class="bottom">
        <span class="hint" aria-hidden="true"><kbd>⏎</kbd> send · <kbd>⇧⏎</kbd> newline · <kbd>esc</kbd> cancel</span>
        <!-- vscode-button does not expose its disabled state to assistive technology: aria-disabled does. -->
        <vscode-button secondary ?disabled=${!this.streaming} aria-disabled=${this.streaming ? 'false' : 'true'} @click=${this.cancel}
          >Cancel</vscode-button
        >
        <vscode-button
          secondary
          title="Send to 2–6 models at once and compare their replies"
          ?disabled=${!canSend}
          aria-disabled=${canSend ? 'false' : 'true'}
          @click=${this.compare}
          >Compare…</vscode-button
        >
        <vscode-button ?disabled=${!canSend} aria-disabled=${canSend ? 'false' : 'true'} @click=${this.send}>Send</vscode-button>
      </div>
    `;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.estimateTimer);
  }

  /** Pasted or dropped files (images, PDFs) go to the host, which checks them and makes the chips. */
  private readonly onPaste = (event: ClipboardEvent): void => this.takeFiles(event, filesOf(event.clipboardData));
  private readonly onDrop = (event: DragEvent): void => this.takeFiles(event, filesOf(event.dataTransfer));
  private readonly onDragOver = (event: DragEvent): void => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  };

  private takeFiles(event: Event, files: File[]): void {
    if (files.length === 0) return;
    event.preventDefault();
    void mediaRequests(files).then((requests) => requests.forEach((r) => emitIntent(this, r)));
  }

  override focus(): void {
    this.area?.focus();
  }

  private renderMentions(): TemplateResult | typeof nothing {
    if (!this.mention.open) return nothing;
    return html`<ul id="mentions" class="mentions" role="listbox" aria-label="Attach">
      ${this.mention.options.map(
        (o, i) =>
          html`<li
            id=${`mention-${i}`}
            role="option"
            aria-selected=${i === this.mention.active ? 'true' : 'false'}
            @mousedown=${(e: Event) => e.preventDefault()}
            @click=${() => this.mention.pick(i, this.text)}
          >
            <span class="kind">@${o.kind}</span> <span class="hint">${o.hint}</span>
          </li>`,
      )}
    </ul>`;
  }

  private readonly onRemoveAttachment = (event: CustomEvent<string>): void => {
    event.stopPropagation();
    emitIntent(this, { type: 'attach/remove', id: event.detail });
    if (!this.shadowRoot?.activeElement || this.attachments.length <= 1) this.area?.focus();
  };

  private renderEstimate(e: EstimateView): TemplateResult {
    if (e.noProvider !== undefined) {
      const why = `No provider of this model meets the routing (${e.noProvider}): OpenRouter would refuse the send. Change the routing in the controls.`;
      return html`<span class="estimate no-provider" role="status" title=${why}>no provider meets the routing: ${e.noProvider}</span>`;
    }
    // The provider goes in the tooltip: the line must stay short in a narrow sidebar.
    return html`<span class="estimate" aria-live="off" title=${e.provider ? `Estimated at ${e.provider}'s prices (the provider the routing picks)` : nothing}
      >≈ ${formatCount(e.promptTokens)} tok ·
      ${e.varies ? html`price varies` : e.cost !== undefined ? html`<span class="cost">${formatUsd(e.cost)}</span>` : html`cost n/a`}</span
    >`;
  }

  private readonly onInput = (event: Event): void => {
    const area = event.target as HTMLTextAreaElement;
    this.text = area.value;
    this.mention.update(this.text, area.selectionStart ?? this.text.length);
    emitUi(this, { kind: 'draft', text: this.text });
    clearTimeout(this.estimateTimer);
    const text = this.text;
    if (!this.hasContent) return;
    this.estimateTimer = setTimeout(() => emitIntent(this, { type: 'chat/estimate', text, ...this.pickerValue() }), ESTIMATE_DELAY_MS);
  };

  private pickerValue(): { controls?: ReturnType<NtControls['value']> } {
    // Until the host has said what the conversation uses, send nothing: the host's defaults apply.
    return this.picker && this.controls ? { controls: this.picker.value() } : {};
  }

  /** A control changed: the estimate must say what the send now costs. */
  private readonly onControlsChange = (): void => {
    const text = this.text;
    if (!this.hasContent) return;
    clearTimeout(this.estimateTimer);
    emitIntent(this, { type: 'chat/estimate', text, ...this.pickerValue() });
  };

  private readonly onKey = (event: KeyboardEvent): void => {
    if (this.mention.key(event, this.text)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'Escape' && this.streaming) {
      event.preventDefault();
      event.stopPropagation();
      this.cancel();
    }
  };

  private readonly send = (): void => {
    if (!this.hasContent || this.streaming) return;
    emitIntent(this, { type: 'chat/send', ...this.outgoing() });
    this.sentElsewhere();
  };

  /** Compare: the same text and chips to models the host asks for; the text stays until it started. */
  private readonly compare = (): void => {
    if (!this.hasContent || this.streaming) return;
    emitIntent(this, { type: 'compare/start', ...this.outgoing() });
  };

  private outgoing(): { text: string; conversationId?: string; controls?: ReturnType<NtControls['value']>; attachmentIds?: string[] } {
    const attachmentIds = this.attachments.flatMap((a) => (a.id ? [a.id] : []));
    return {
      text: this.text,
      ...(this.conversationId ? { conversationId: this.conversationId } : {}),
      ...this.pickerValue(),
      ...(attachmentIds.length ? { attachmentIds } : {}),
    };
  }

  /** The message left (a send, or a comparison that started): the box empties. */
  sentElsewhere(): void {
    this.picker?.sent();
    this.text = '';
    clearTimeout(this.estimateTimer);
    emitUi(this, { kind: 'draft', text: '' });
  }

  /** A refused send's text comes back, unless the user has typed something new meanwhile. */
  giveBack(text: string): void {
    if (this.text.trim()) return;
    this.text = text;
    emitUi(this, { kind: 'draft', text });
  }

  private readonly cancel = (): void => {
    if (this.streaming && this.conversationId) emitIntent(this, { type: 'chat/cancel', conversationId: this.conversationId });
  };

  private readonly pickModel = (): void => {
    emitIntent(this, { type: 'view/runCommand', command: 'selectModel' });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-composer': NtComposer;
  }
}
