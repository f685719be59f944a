/**
 * Pasted and dropped files become `attach/media` requests: each file's bytes, base64, for the
 * host to check (it decides what they are from the bytes, never from this name or type), with
 * a thumbnail when the file decodes as an image. A file over the size bound is not read at
 * all: the host is told its size and answers why.
 */
import { MAX_MEDIA_BYTES } from '../../shared/media';
import type { ViewIntent } from '../../shared/protocol';
import { makeThumbnail } from '../thumbnails';

/** Most files one paste or drop attaches (the host bounds the message's attachments anyway). */
const MAX_FILES = 10;

/** Base64 of a file's bytes (the browser's own encoder, through a data: URL). */
function base64Of(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(file);
  });
}

/** The requests for these files, in order; a file that cannot be read is skipped. */
export async function mediaRequests(files: readonly File[]): Promise<ViewIntent[]> {
  const out: ViewIntent[] = [];
  for (const file of files.slice(0, MAX_FILES)) {
    const name = file.name || 'pasted';
    if (file.size > MAX_MEDIA_BYTES) {
      out.push({ type: 'attach/media', name, data: '', size: file.size });
      continue;
    }
    try {
      // The thumbnail is made here, from the file itself, so the host never sends the image back to be shown.
      const thumb = await makeThumbnail(file);
      out.push({ type: 'attach/media', name, data: await base64Of(file), ...(thumb ? { thumb } : {}) });
    } catch {
      // Unreadable (revoked by the OS): nothing to attach.
    }
  }
  return out;
}

/** The files a paste or drop carries, if any. */
export function filesOf(transfer: DataTransfer | null | undefined): File[] {
  return transfer ? [...transfer.files] : [];
}
