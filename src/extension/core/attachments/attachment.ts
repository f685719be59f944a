/**
 * Building an attachment: the draft a source produced (kind, label, text) becomes what the
 * composer shows and the send carries — its block's token count for the model, and the
 * estimated prompt cost of those tokens (exact money, from the catalog's prompt price).
 * Bounds are checked here, so every source is held to the same limits. No `vscode` import.
 */
import { attachmentBlock, MAX_LABEL_CHARS, type AttachmentKind, type SentAttachment } from '../../../shared/attachments';
import { times, toDecimalString } from '../../../shared/money';
import type { ModelPricing } from '../../openrouter/pricing';
import type { TokenCounterPort } from '../ports';
import { formatBytes, isImageMime, MAX_MEDIA_BYTES, readSentMedia } from '../../../shared/media';
import { imagesCost } from './mediaPolicy';
import { MESSAGE_OVERHEAD_TOKENS } from '../tokenCounter';

/** What a source hands over before counting and pricing. */
export interface AttachmentDraft {
  readonly kind: AttachmentKind;
  readonly label: string;
  readonly text: string;
  readonly language?: string;
  readonly note?: string;
}

/** A built attachment waiting in the composer: what will be sent, with an id for the chip. */
export interface Attachment extends SentAttachment {
  readonly id: string;
}

/** The prompt cost of `tokens` at the model's prompt price; undefined when unknown or variable. */
export function promptCost(pricing: ModelPricing | undefined, tokens: number): string | undefined {
  if (!pricing || pricing.prompt.kind !== 'fixed') return undefined;
  return toDecimalString(times(pricing.prompt.perUnit, tokens));
}

/** Counts and prices a draft for a model; the count is of the block the request carries. */
export async function buildAttachment(
  draft: AttachmentDraft,
  deps: { id: string; modelId: string; pricing: ModelPricing | undefined; tokens: TokenCounterPort },
): Promise<Attachment> {
  const label = draft.label.replace(/[\r\n]+/g, ' ').slice(0, MAX_LABEL_CHARS) || draft.kind;
  const language = draft.language && /^[\w+#.-]{1,40}$/.test(draft.language) ? draft.language : '';
  const block = attachmentBlock({ kind: draft.kind, label, text: draft.text, language });
  // countMessage adds a message's framing; the block is part of one message, not a message.
  const tokens = Math.max(0, (await deps.tokens.countMessage(deps.modelId, block)) - MESSAGE_OVERHEAD_TOKENS);
  const cost = promptCost(deps.pricing, tokens);
  return {
    id: deps.id,
    kind: draft.kind,
    label,
    text: draft.text,
    language,
    tokens,
    ...(cost !== undefined ? { cost } : {}),
    ...(draft.note ? { note: draft.note } : {}),
  };
}

/** An image's price for a model: the catalog's per-image price; undefined when it varies or for a PDF. */
export function mediaCost(pricing: ModelPricing | undefined, kind: 'image' | 'pdf'): string | undefined {
  if (kind !== 'image' || !pricing) return undefined;
  const cost = imagesCost(pricing, 1);
  return cost === undefined ? undefined : toDecimalString(cost);
}

/**
 * An image or PDF as an attachment. Its bytes are checked again here, whoever read them:
 * well-formed base64 within MAX_MEDIA_BYTES whose first bytes are the type claimed. Tokens
 * are 0 (providers count an image their own way); an image's cost is the catalog's per-image
 * price, a PDF's is only known from the usage afterwards.
 */
export function buildMediaAttachment(
  draft: { label: string; media: unknown },
  deps: { id: string; pricing: ModelPricing | undefined },
): { ok: true; attachment: Attachment } | { ok: false; message: string } {
  const label = draft.label.replace(/[\r\n]+/g, ' ').slice(0, MAX_LABEL_CHARS) || 'image';
  const media = readSentMedia(draft.media);
  if (!media) {
    return { ok: false, message: `${label} is not a PNG, JPEG, WebP or GIF image or a PDF of at most ${formatBytes(MAX_MEDIA_BYTES)} (its first bytes say what it is, not its name).` };
  }
  const kind = isImageMime(media.mime) ? 'image' : 'pdf';
  const cost = mediaCost(deps.pricing, kind);
  return { ok: true, attachment: { id: deps.id, kind, label, text: '', language: '', tokens: 0, media, ...(cost !== undefined ? { cost } : {}) } };
}
