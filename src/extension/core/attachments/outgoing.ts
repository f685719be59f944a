/**
 * Attachments on their way out: what the user message stores (redacted first when PII
 * redaction is on, so the stored text is what was sent) and how a stored user message
 * becomes the content of a request turn. No `vscode` import.
 */
import { composeUserContent, mediaOf, readSentAttachments, sentAttachmentsJson, type SentAttachment } from '../../../shared/attachments';
import type { MessageMedia } from '../../openrouter/types';
import type { JsonObject, JsonValue, StoredMessage } from '../../storage/types';
import { redactPii } from '../piiGuard';

/**
 * The attachments as they will be sent, recorded in the user message's `metadata`
 * (`attachments`, and their redactions added to `piiRedacted`).
 */
export function withAttachments(list: readonly SentAttachment[], redactPII: boolean, metadata: JsonObject): SentAttachment[] {
  if (list.length === 0) return [];
  const counts: Record<string, number> = { ...((metadata['piiRedacted'] as Record<string, number> | undefined) ?? {}) };
  const sent = list.map((a) => {
    if (!redactPII) return a;
    const r = redactPii(a.text);
    for (const [kind, n] of Object.entries(r.counts)) counts[kind] = (counts[kind] ?? 0) + n;
    return r.text === a.text ? a : { ...a, text: r.text };
  });
  if (Object.keys(counts).length) metadata['piiRedacted'] = counts;
  metadata['attachments'] = sentAttachmentsJson(sent) as JsonValue;
  return sent;
}

/** What a stored message contributes to a request: a user message carries its attachments. */
export function turnContent(m: Pick<StoredMessage, 'role' | 'content' | 'metadata'>): string {
  if (m.role !== 'user') return m.content;
  return composeUserContent(m.content, readSentAttachments(m.metadata));
}

/** The images and PDFs a stored user message sends with its text (none for other roles). */
export function turnMedia(m: Pick<StoredMessage, 'role' | 'metadata'>): MessageMedia[] {
  if (m.role !== 'user') return [];
  return mediaOf(readSentAttachments(m.metadata)).map((x) => ({ mime: x.mime, data: x.data, filename: x.filename }));
}
