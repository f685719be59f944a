/**
 * The attachments waiting in the composer until the next send. The host keeps them (the
 * view only ever holds ids and labels), so what a send carries is text the host itself
 * read, never text the view claims a file holds. Bounded: at most MAX_ATTACHMENTS, and
 * their tokens together at most the `attachments.maxTokens` setting — refused with a
 * message that says what to do. No `vscode` import.
 */
import { MAX_ATTACHMENTS } from '../../../shared/attachments';
import type { ModelPricing } from '../../openrouter/pricing';
import { formatBytes, isImageMime, MAX_MEDIA_TOTAL_BYTES, readThumb } from '../../../shared/media';
import { mediaCost, promptCost, type Attachment } from './attachment';

export type AddOutcome = { ok: true } | { ok: false; message: string };

export class PendingAttachments {
  private items: Attachment[] = [];

  constructor(private readonly maxTokens: () => number) {}

  list(): readonly Attachment[] {
    return this.items;
  }

  get totalTokens(): number {
    return this.items.reduce((n, a) => n + a.tokens, 0);
  }

  /** Tokens still free under the limit (what a folder may fill). */
  get remainingTokens(): number {
    return Math.max(0, this.maxTokens() - this.totalTokens);
  }

  add(attachment: Attachment): AddOutcome {
    if (this.items.length >= MAX_ATTACHMENTS) {
      return { ok: false, message: `A message carries at most ${MAX_ATTACHMENTS} attachments. Remove one first.` };
    }
    const mediaBytes = this.items.reduce((n, a) => n + (a.media?.bytes ?? 0), attachment.media?.bytes ?? 0);
    if (mediaBytes > MAX_MEDIA_TOTAL_BYTES) {
      return { ok: false, message: `${attachment.label} would take the images and PDFs of this message past ${formatBytes(MAX_MEDIA_TOTAL_BYTES)}. Remove one first.` };
    }
    const limit = this.maxTokens();
    const total = this.totalTokens + attachment.tokens;
    if (total > limit) {
      const already = this.items.length ? ` (with the ${this.totalTokens} tokens already attached)` : '';
      return {
        ok: false,
        message: `${attachment.label} is ${attachment.tokens} tokens${already}, over the attachment limit of ${limit} tokens. Attach a part of it (a selection), remove another attachment, or raise the setting neuralTerminal.attachments.maxTokens.`,
      };
    }
    this.items = [...this.items, attachment];
    return { ok: true };
  }

  remove(id: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((a) => a.id !== id);
    return this.items.length !== before;
  }

  /** Gives a pending image its thumbnail (checked); false when there is no such image or it is malformed. */
  setThumb(id: string, thumb: string): boolean {
    const checked = readThumb(thumb);
    const index = this.items.findIndex((a) => a.id === id && a.media !== undefined && isImageMime(a.media.mime));
    const item = this.items[index];
    if (!checked || !item?.media) return false;
    this.items = this.items.with(index, { ...item, media: { ...item.media, thumb: checked } });
    return true;
  }

  clear(): void {
    this.items = [];
  }

  /**
   * The attachments with these ids, in the order given. They stay in the list until the send
   * has started (a refused send keeps them). Unknown ids are reported (a chip the view still
   * showed after the host dropped it), never guessed at.
   */
  resolve(ids: readonly string[]): { ok: true; attachments: Attachment[] } | { ok: false; message: string } {
    const byId = new Map(this.items.map((a) => [a.id, a]));
    const out: Attachment[] = [];
    for (const id of new Set(ids)) {
      const a = byId.get(id);
      if (!a) return { ok: false, message: 'An attachment of this message is no longer available. Attach it again.' };
      out.push(a);
    }
    return { ok: true, attachments: out };
  }

  /** The attachments priced for another model (the chips follow the model picker). */
  priced(pricing: ModelPricing | undefined): Attachment[] {
    return this.items.map((a) => {
      const cost = a.kind === 'image' || a.kind === 'pdf' ? mediaCost(pricing, a.kind) : promptCost(pricing, a.tokens);
      const { cost: _old, ...rest } = a;
      return cost !== undefined ? { ...rest, cost } : rest;
    });
  }
}
