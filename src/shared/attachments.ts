/**
 * Attachments: workspace context sent with a user message (a file, a folder summary, the
 * selection, the Problems panel, a terminal's output, a git diff). One declaration for every
 * layer: the kinds, the shape a stored user message keeps in its metadata (`attachments`:
 * exactly what was sent, so exports, forks and replays stay faithful), a defensive reader
 * of that shape, and the text the request carries (docs/attachments.md describes it).
 * No `vscode` import, no DOM use.
 */

import { MAX_MEDIA_TOTAL_BYTES, readSentMedia, type SentMedia } from './media';

/** The sources the composer's `@` menu offers; `image` picks an image or a PDF. */
export const SOURCE_KINDS = ['file', 'folder', 'selection', 'problems', 'terminal', 'git', 'image'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/** What an attachment is: a text kind, or an image or PDF carrying bytes (`media`). */
export const ATTACHMENT_KINDS = ['file', 'folder', 'selection', 'problems', 'terminal', 'git', 'image', 'pdf'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export type MediaKind = 'image' | 'pdf';

export function isMediaKind(kind: AttachmentKind): kind is MediaKind {
  return kind === 'image' || kind === 'pdf';
}

/** What a stored user message keeps of one attachment. */
export interface SentAttachment {
  readonly kind: AttachmentKind;
  /** `src/a.ts`, `src/a.ts:10-24`, `Problems (workspace)`, `git diff (staged)`… */
  readonly label: string;
  /** The exact text sent (after redaction, when that is on). */
  readonly text: string;
  /** Fence language of the text ("ts", "diff", ""). */
  readonly language: string;
  /** Tokens of the attachment's block in the request. */
  readonly tokens: number;
  /** Estimated prompt cost of those tokens, exact decimal USD; absent when the price varies. */
  readonly cost?: string;
  /** What the user was told about it ("12 of 40 files included"). */
  readonly note?: string;
  /** An image's or PDF's bytes (kinds `image` and `pdf`, whose `text` is empty). */
  readonly media?: SentMedia;
}

/** Longest label kept; labels are paths and short descriptions. */
export const MAX_LABEL_CHARS = 300;
const MAX_NOTE_CHARS = 500;
/** Most attachments one message carries. */
export const MAX_ATTACHMENTS = 20;

const KIND_SET: ReadonlySet<string> = new Set(ATTACHMENT_KINDS);
const MONEY = /^\d+(\.\d+)?$/;
const LANGUAGE = /^[\w+#.-]{0,40}$/;

/**
 * The attachments a message's metadata records, in order; anything malformed (a hand-edited
 * or imported file may hold anything) is skipped, never thrown on.
 */
export function readSentAttachments(meta: unknown): SentAttachment[] {
  if (typeof meta !== 'object' || meta === null) return [];
  const list = (meta as Record<string, unknown>)['attachments'];
  if (!Array.isArray(list)) return [];
  const out: SentAttachment[] = [];
  let mediaBytes = 0;
  for (const raw of list.slice(0, MAX_ATTACHMENTS)) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
    const a = raw as Record<string, unknown>;
    const { kind, label, text, tokens, cost, note, language } = a;
    if (typeof kind !== 'string' || !KIND_SET.has(kind)) continue;
    if (typeof label !== 'string' || !label || typeof text !== 'string') continue;
    if (typeof tokens !== 'number' || !Number.isSafeInteger(tokens) || tokens < 0) continue;
    // An image or PDF is its bytes: without well-formed, bounded ones of the right type it is dropped.
    const media = isMediaKind(kind as AttachmentKind) ? readSentMedia(a['media']) : undefined;
    if (isMediaKind(kind as AttachmentKind) && (!media || (kind === 'image') !== media.mime.startsWith('image/'))) continue;
    if (media && (mediaBytes += media.bytes) > MAX_MEDIA_TOTAL_BYTES) continue;
    out.push({
      kind: kind as AttachmentKind,
      label: label.slice(0, MAX_LABEL_CHARS),
      text,
      language: typeof language === 'string' && LANGUAGE.test(language) ? language : '',
      tokens,
      ...(typeof cost === 'string' && MONEY.test(cost) ? { cost } : {}),
      ...(typeof note === 'string' && note ? { note: note.slice(0, MAX_NOTE_CHARS) } : {}),
      ...(media ? { media } : {}),
    });
  }
  return out;
}

/** The metadata value a user message stores for its attachments (plain JSON). */
export function sentAttachmentsJson(list: readonly SentAttachment[]): Array<Record<string, string | number | Record<string, string | number>>> {
  return list.map((a) => ({
    kind: a.kind,
    label: a.label,
    text: a.text,
    language: a.language,
    tokens: a.tokens,
    ...(a.cost !== undefined ? { cost: a.cost } : {}),
    ...(a.note !== undefined ? { note: a.note } : {}),
    ...(a.media ? { media: { mime: a.media.mime, data: a.media.data, bytes: a.media.bytes, sha256: a.media.sha256, ...(a.media.thumb ? { thumb: a.media.thumb } : {}) } } : {}),
  }));
}

/**
 * One attachment as the request carries it: a header line naming the kind and label, then
 * the text in a fence longer than any backtick run inside it (so text holding ``` stays whole).
 */
export function attachmentBlock(a: Pick<SentAttachment, 'kind' | 'label' | 'text' | 'language'>): string {
  let longest = 2;
  for (const m of a.text.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const body = a.text.endsWith('\n') ? a.text : `${a.text}\n`;
  return `@${a.kind} ${a.label}\n${fence}${a.language}\n${body}${fence}`;
}

/**
 * The user message's content as sent: the attachments first (long context before the
 * question reads best to models), then what the user typed.
 */
export function composeUserContent(typed: string, attachments: readonly Pick<SentAttachment, 'kind' | 'label' | 'text' | 'language'>[]): string {
  // Images and PDFs travel as their own content parts (mediaOf), not as text blocks.
  const texts = attachments.filter((a) => !isMediaKind(a.kind));
  if (texts.length === 0) return typed;
  const blocks = texts.map(attachmentBlock).join('\n\n');
  return typed ? `${blocks}\n\n${typed}` : blocks;
}

/** The images and PDFs of a message's attachments, in order, with the file names they were sent as. */
export function mediaOf(attachments: readonly SentAttachment[]): Array<SentMedia & { filename: string }> {
  return attachments.flatMap((a) => (a.media ? [{ ...a.media, filename: a.label }] : []));
}

/**
 * What a text export prints for an image or PDF instead of its bytes: the name, size and
 * fingerprint (the JSON export keeps the bytes).
 */
export function mediaPlaceholder(a: Pick<SentAttachment, 'kind' | 'label' | 'media'>): string {
  const m = a.media;
  return m ? `[@${a.kind} ${a.label} · ${m.mime} · ${m.bytes} bytes · sha256 ${m.sha256}]` : `[@${a.kind} ${a.label}]`;
}

/**
 * Whether every image and PDF a message's metadata records is well-formed, of an accepted
 * type and within the size bounds (an import refuses the file otherwise, rather than keep
 * bytes no reader would use).
 */
export function mediaWithinBounds(meta: unknown): boolean {
  const list = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['attachments'] : undefined;
  if (!Array.isArray(list)) return true;
  const declared = list.filter((a) => typeof a === 'object' && a !== null && (a as Record<string, unknown>)['media'] !== undefined);
  if (declared.length === 0) return true;
  if (list.length > MAX_ATTACHMENTS) return false;
  return readSentAttachments(meta).filter((a) => a.media).length === declared.length;
}
