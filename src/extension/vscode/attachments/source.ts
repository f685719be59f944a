/**
 * What every attachment source returns: a draft to count and price, a message saying why
 * there is nothing to attach, or undefined when the user dismissed the picker.
 */
import type { AttachmentDraft } from '../../core/attachments/attachment';

export type SourceOutcome = { ok: true; draft: AttachmentDraft; shown?: string } | { ok: false; message: string } | undefined;

export interface SourceContext {
  /** The attachment limit, in tokens (setting). */
  readonly maxTokens: number;
  /** What the composer's attachments leave free of it. */
  readonly remainingTokens: number;
  /** Tokens of a text for the model in use. */
  count(text: string): Promise<number>;
}
