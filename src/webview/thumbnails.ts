/**
 * Thumbnails of images, made in the view because it can decode images (the host cannot
 * without a dependency). The image is decoded off the DOM (`createImageBitmap`), drawn
 * scaled down on an OffscreenCanvas and encoded as a small WebP (PNG where WebP is not
 * offered) `data:` URL: the full image never becomes an element or an attribute. Nothing
 * here needs the CSP loosened: no fetch, no blob: or data: loads — only the finished
 * thumbnail is shown, through `img-src data:`.
 */
import { MAX_THUMB_CHARS, THUMB_SIDE } from '../shared/media';

/** Base64 decoded in slices, yielding between them, so a 5 MB image does not block the view. */
const SLICE_CHARS = 512 * 1024;

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The size a `width` × `height` image is drawn at: short side at most `side`, long side at most 3 × `side`, never enlarged. */
export function thumbSize(width: number, height: number, side = THUMB_SIDE): { width: number; height: number } {
  const scale = Math.min(1, side / Math.min(width, height), (3 * side) / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The bytes of base64 `data` as a Blob of type `mime`. */
export async function base64Blob(data: string, mime: string): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 0; at < data.length; at += SLICE_CHARS) {
    if (at > 0) await nextTask();
    const binary = atob(data.slice(at, at + SLICE_CHARS));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    parts.push(bytes);
  }
  return new Blob(parts, { type: mime });
}

function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(blob);
  });
}

/**
 * A thumbnail `data:` URL of the image in `source`, or undefined when it cannot be decoded
 * (a PDF, a damaged file) or the result would still be over the bound.
 */
export async function makeThumbnail(source: Blob, side = THUMB_SIDE): Promise<string | undefined> {
  let bitmap: ImageBitmap | undefined;
  try {
    bitmap = await createImageBitmap(source);
    const size = thumbSize(bitmap.width, bitmap.height, side);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    for (const [type, quality] of [['image/webp', 0.8], ['image/jpeg', 0.7]] as const) {
      const blob = await canvas.convertToBlob({ type, quality });
      // A browser without the encoder gives PNG; any of the three is accepted.
      const url = await dataUrlOf(blob);
      if (url.length <= MAX_THUMB_CHARS && /^data:image\/(?:png|jpeg|webp);base64,/.test(url)) return url;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    bitmap?.close();
  }
}
