/**
 * Attachments: the composer's chips and the sources that make them. The view asks the host
 * to run a source's picker (`attach/pick`) or to drop a chip (`attach/remove`); the host keeps
 * the attachments' text and sends the chips back (`attach/list`) whenever they change. A send
 * names its chips by id (`chat/send` `attachmentIds`).
 */
import * as z from 'zod/mini';
import { ATTACHMENT_KINDS, MAX_ATTACHMENTS, SOURCE_KINDS } from '../attachments';
import { IMAGE_MIMES, MAX_MEDIA_BASE64, MAX_THUMB_CHARS, THUMB_URL } from '../media';
import { Count, Id, Money, push, request } from './common';

export const AttachmentKind = z.enum(ATTACHMENT_KINDS);
/** An image's thumbnail as the view made it: a small `data:` URL (shared/media.ts `readThumb` checks its bytes too). */
export const ThumbUrl = z.string().check(z.maxLength(MAX_THUMB_CHARS), z.regex(THUMB_URL));
export const SourceKind = z.enum(SOURCE_KINDS);

/** A chip: what is attached and what it costs — never its text. */
export const AttachmentView = z.object({
  id: z.optional(Id),
  kind: AttachmentKind,
  label: z.string().check(z.maxLength(300)),
  tokens: Count,
  /** Estimated prompt cost for the model in use; absent when its price varies. */
  cost: z.optional(Money),
  /** What the source said (a folder's included files). */
  note: z.optional(z.string().check(z.maxLength(500))),
  /** An image's thumbnail (small; never the image itself), once the view has made it. */
  thumb: z.optional(ThumbUrl),
});
export type AttachmentView = z.infer<typeof AttachmentView>;

export const AttachmentIds = z.array(Id).check(z.maxLength(MAX_ATTACHMENTS));

export const attachmentRequests = [
  /** Run a source's picker; the reply fails with the source's reason when nothing could be attached. */
  request('attach/pick', { source: SourceKind }),
  request('attach/remove', { id: Id }),
  /**
   * A pasted or dropped image or PDF: its name and its bytes in base64, bounded before the host
   * decodes them. The host decides what the bytes are (magic numbers), never the view.
   */
  request('attach/media', {
    name: z.string().check(z.maxLength(300)),
    data: z.string().check(z.maxLength(MAX_MEDIA_BASE64)),
    /** Set (with empty `data`) when the file was over the bound and not read: the host says why. */
    size: z.optional(Count),
    /** The view's thumbnail of the image, made before sending (absent for a PDF or what it cannot decode). */
    thumb: z.optional(ThumbUrl),
  }),
  /** The thumbnail the host asked for (`attach/thumbWanted`) of the pending image `id`. */
  request('attach/thumb', { id: Id, thumb: ThumbUrl }),
] as const;

export const attachmentPushes = [
  push('attach/list', {
    items: z.array(AttachmentView).check(z.maxLength(MAX_ATTACHMENTS)),
    /** The attachment limit in tokens (setting), for the composer's hint. */
    limit: Count,
  }),
  /**
   * An image the host attached itself (`@image`) and has no thumbnail of: its bytes, once, for
   * the view to scale down (off the DOM) and answer with `attach/thumb`.
   */
  push('attach/thumbWanted', { id: Id, mime: z.enum(IMAGE_MIMES), data: z.string().check(z.maxLength(MAX_MEDIA_BASE64)) }),
] as const;
