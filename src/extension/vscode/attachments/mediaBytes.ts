/**
 * The bytes of a pasted, dropped or picked file as an image or PDF record: the size checked
 * before reading or decoding, the type from the bytes' own first bytes (never the name), then
 * base64 and SHA-256 (Node's). No `vscode` import, so it is tested on its own.
 */
import { createHash } from 'node:crypto';
import { formatBytes, MAX_MEDIA_BASE64, MAX_MEDIA_BYTES, sniffMedia, type SentMedia } from '../../../shared/media';

export type MediaOutcome = { ok: true; label: string; media: SentMedia } | { ok: false; message: string } | undefined;

export const tooLarge = (name: string, bytes: number) =>
  `${name} is ${formatBytes(bytes)}; an image or PDF may be at most ${formatBytes(MAX_MEDIA_BYTES)}. Attach a smaller or compressed copy.`;

/** The bytes of a file as an image or PDF record, or why they are not one. */
export function mediaFromBytes(name: string, bytes: Uint8Array): MediaOutcome {
  const label = name.replace(/[\r\n/\\]+/g, ' ').trim().slice(0, 300) || 'pasted';
  if (bytes.length > MAX_MEDIA_BYTES) return { ok: false, message: tooLarge(label, bytes.length) };
  const mime = sniffMedia(bytes);
  if (!mime) return { ok: false, message: `${label} is not a PNG, JPEG, WebP or GIF image or a PDF (its first bytes say so, whatever its name).` };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { ok: true, label, media: { mime, data: buffer.toString('base64'), bytes: bytes.length, sha256: createHash('sha256').update(buffer).digest('hex') } };
}

/** Base64 the view sent, decoded only once its length is within the bound and its alphabet is base64. */
export function mediaFromBase64(name: string, data: string, size?: number): MediaOutcome {
  if (size !== undefined && size > MAX_MEDIA_BYTES) return { ok: false, message: tooLarge(name || 'The pasted file', size) };
  if (data.length > MAX_MEDIA_BASE64) return { ok: false, message: tooLarge(name || 'The pasted file', Math.floor((data.length * 3) / 4)) };
  if (data.length === 0 || data.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return { ok: false, message: 'The pasted file could not be read.' };
  return mediaFromBytes(name, Buffer.from(data, 'base64'));
}
