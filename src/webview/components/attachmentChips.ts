/**
 * <nt-attachment-chips>: what a message carries besides its words — in the composer (removable:
 * the × button, or Backspace/Delete on a focused chip) and read-only under a sent message.
 * Each chip shows the kind, the label, the tokens and the estimated cost; its title adds what
 * the source said (a folder's included files). In the composer a polite live region announces
 * chips as they come and go, so a screen reader hears what the picker attached.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared';
import { formatCount, formatUsd } from '../format';
import { attachmentChipsStyles } from './attachmentChips.styles';

export interface ChipView {
  readonly id?: string;
  readonly kind: string;
  readonly label: string;
  readonly tokens: number;
  readonly cost?: string;
  readonly note?: string;
  /** An image's thumbnail (a checked `data:` URL; the CSP allows only data: and the extension's images). */
  readonly thumb?: string;
}

/** Fired (composed) when the user removes a chip: `detail` is its id. */
export const REMOVE_ATTACHMENT = 'nt-remove-attachment';

@customElement('nt-attachment-chips')
export class NtAttachmentChips extends LitElement {
  static override styles = [sharedStyles, attachmentChipsStyles];

  @property({ attribute: false }) items: readonly ChipView[] = [];
  /** Under a sent message: no removing, no announcements. */
  @property({ type: Boolean, reflect: true }) readonly = false;
  @state() private announcement = '';

  override willUpdate(changed: PropertyValues<this>): void {
    if (this.readonly || !changed.has('items')) return;
    const before = (changed.get('items') as readonly ChipView[] | undefined) ?? [];
    const had = new Set(before.map((c) => c.id));
    const has = new Set(this.items.map((c) => c.id));
    const added = this.items.filter((c) => !had.has(c.id));
    const removed = before.filter((c) => !has.has(c.id));
    const parts = [
      ...added.map((c) => `Attached ${spoken(c)}.`),
      ...removed.map((c) => `Removed attachment ${c.label}.`),
    ];
    if (parts.length) this.announcement = parts.join(' ');
  }

  override render(): TemplateResult {
    const list = this.items.length
      ? html`<ul aria-label=${this.readonly ? 'Attached' : 'Attachments'}>
          ${this.items.map((c) => this.renderChip(c))}
        </ul>`
      : nothing;
    return html`${list}${this.readonly ? nothing : html`<div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>`}`;
  }

  private renderChip(c: ChipView): TemplateResult {
    const title = c.note ? `${c.label}\n${c.note}` : c.label;
    return html`<li
      tabindex=${this.readonly ? nothing : '0'}
      aria-label=${spoken(c) + (this.readonly ? '' : '. Press Delete to remove.')}
      title=${title}
      data-id=${c.id ?? nothing}
      @keydown=${(e: KeyboardEvent) => this.onKey(e, c)}
    >
      ${c.thumb ? html`<img class="thumb" src=${c.thumb} alt="" />` : nothing}
      <span class="kind" aria-hidden="true">@${c.kind}</span>
      <span class="label" aria-hidden="true">${c.label}</span>
      <span class="figures" aria-hidden="true">${figures(c)}</span>
      ${this.readonly
        ? nothing
        : html`<button type="button" class="tbtn remove" aria-label=${`Remove attachment ${c.label}`} @click=${() => this.removeChip(c)}>×</button>`}
    </li>`;
  }

  private onKey(event: KeyboardEvent, chip: ChipView): void {
    if (this.readonly || event.target !== event.currentTarget) return;
    if (event.key === 'Backspace' || event.key === 'Delete') {
      event.preventDefault();
      this.removeChip(chip);
    }
  }

  private removeChip(chip: ChipView): void {
    if (!chip.id) return;
    // Focus moves to a neighbour (or leaves to the composer) so the keyboard user is not lost.
    const chips = [...(this.shadowRoot?.querySelectorAll<HTMLElement>('li') ?? [])];
    const index = chips.findIndex((li) => li.dataset['id'] === chip.id);
    const next = chips[index + 1] ?? chips[index - 1];
    this.dispatchEvent(new CustomEvent<string>(REMOVE_ATTACHMENT, { detail: chip.id, bubbles: true, composed: true }));
    if (next) next.focus();
  }
}

const isMedia = (c: ChipView) => c.kind === 'image' || c.kind === 'pdf';

/** Tokens and cost; an image or PDF has no token count of its own (its cost is the catalog's per-image price). */
function figures(c: ChipView): TemplateResult {
  const tokens = isMedia(c) ? '' : `${formatCount(c.tokens)} tok`;
  if (c.cost === undefined) return html`${tokens}`;
  return html`${tokens ? `${tokens} · ` : ''}<span class="cost">${formatUsd(c.cost)}</span>`;
}

function spoken(c: ChipView): string {
  const size = isMedia(c) ? '' : `, ${formatCount(c.tokens)} tokens`;
  return `${c.kind} ${c.label}${size}${c.cost !== undefined ? `, about ${formatUsd(c.cost)}` : ''}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-attachment-chips': NtAttachmentChips;
  }
}
