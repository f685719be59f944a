/**
 * Images and PDFs sent with a user message. What a file is comes from its first bytes
 * (magic numbers), never from its name or from a MIME type the view claims; sizes are
 * bounded before anything is decoded. Shared by the host (which checks every byte it
 * sends) and the view (which only shows what the host accepted). No `vscode`, no DOM.
 */

export const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export const PDF_MIME = 'application/pdf';
export type ImageMime = (typeof IMAGE_MIMES)[number];
export type MediaMime = ImageMime | typeof PDF_MIME;

/** Largest image or PDF one attachment may be, in bytes. */
export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;
/** Largest total of the images and PDFs one message carries, in bytes. */
export const MAX_MEDIA_TOTAL_BYTES = 10 * 1024 * 1024;
/** Base64 characters of MAX_MEDIA_BYTES: what a request may carry before it is decoded. */
export const MAX_MEDIA_BASE64 = Math.ceil(MAX_MEDIA_BYTES / 3) * 4;

/**
 * An image's thumbnail: made by the view (it can decode images; the host cannot without a
 * dependency), at most THUMB_SIDE pixels on its short side, as a small `data:` URL. Stored
 * beside the image so a sent message never puts the image itself through the view again.
 */
export const THUMB_SIDE = 160;
/** Longest thumbnail `data:` URL accepted, in characters (about 36 KB of image). */
export const MAX_THUMB_CHARS = 48_000;
/** What a thumbnail may be: the types a canvas encodes, base64. */
export const THUMB_URL = /^data:(image\/(?:png|jpeg|webp));base64,([A-Za-z0-9+/]+={0,2})$/;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The type the bytes themselves say, or undefined when they are none of the accepted ones. */
export function sniffMedia(bytes: Uint8Array): MediaMime | undefined {
  const at = (i: number, ...want: number[]) => want.every((b, k) => bytes[i + k] === b);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return PDF_MIME; // %PDF-
  return undefined;
}

export function isImageMime(mime: string): mime is ImageMime {
  return (IMAGE_MIMES as readonly string[]).includes(mime);
}

/** Bytes a base64 text decodes to (its length says, without decoding). */
export function base64Bytes(data: string): number {
  const pad = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return (data.length / 4) * 3 - pad;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The first bytes of a base64 text (enough to sniff), decoded without decoding the rest. */
export function base64Head(data: string, chars = 16): Uint8Array {
  const head = data.slice(0, chars - (chars % 4)).replace(/=+$/, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of head) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) break;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** What a stored image or PDF keeps: the bytes as sent, their type and fingerprint. */
export interface SentMedia {
  readonly mime: MediaMime;
  /** The file's bytes, base64 (no `data:` prefix). */
  readonly data: string;
  readonly bytes: number;
  /** SHA-256 of the bytes, hex: what exports print instead of the bytes. */
  readonly sha256: string;
  /** An image's thumbnail (`readThumb`), when the view has made one. */
  readonly thumb?: string;
}

/** A thumbnail `data:` URL, checked: bounded, well-formed base64 whose first bytes are the type it names. */
export function readThumb(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_THUMB_CHARS) return undefined;
  const m = THUMB_URL.exec(raw);
  if (!m || m[2]!.length % 4 !== 0) return undefined;
  return sniffMedia(base64Head(m[2]!)) === m[1] ? raw : undefined;
}

/**
 * A stored media record, checked without decoding it whole: well-formed base64 within the
 * size bound, whose first bytes are the type it claims. Anything else is undefined.
 */
export function readSentMedia(raw: unknown): SentMedia | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { mime, data, sha256, thumb } = raw as Record<string, unknown>;
  if (typeof data !== 'string' || data.length === 0 || data.length > MAX_MEDIA_BASE64 || data.length % 4 !== 0) return undefined;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256) || typeof mime !== 'string') return undefined;
  if (!BASE64.test(data) || sniffMedia(base64Head(data)) !== mime) return undefined;
  // A malformed thumbnail is dropped alone: the image itself is fine.
  const checkedThumb = isImageMime(mime) ? readThumb(thumb) : undefined;
  return { mime: mime as MediaMime, data, bytes: base64Bytes(data), sha256, ...(checkedThumb ? { thumb: checkedThumb } : {}) };
}

/** The `data:` URL of a media record (what the request and a thumbnail carry). */
export function dataUrl(media: Pick<SentMedia, 'mime' | 'data'>): string {
  return `data:${media.mime};base64,${media.data}`;
}

/** "2.4 MB", "812 KB": sizes in the user's words. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
