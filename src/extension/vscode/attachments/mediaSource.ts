/**
 * Images and PDFs from the host side: the `@image` file picker (the editor's open dialog,
 * filtered to images and PDFs) and the bytes a paste or drop in the view sent. Either way the
 * host checks the size before reading or decoding, and the bytes' own first bytes decide the
 * type (core/attachments/attachment.ts checks them again).
 */
import * as vscode from 'vscode';
import { MAX_MEDIA_BYTES } from '../../../shared/media';
import { mediaFromBytes, tooLarge, type MediaOutcome } from './mediaBytes';

/** `@image`: the open dialog, filtered to images and PDFs; undefined when dismissed. */
export async function pickMediaFile(): Promise<MediaOutcome> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Attach',
    title: 'Attach an image or PDF',
    filters: { 'Images and PDFs': ['png', 'jpg', 'jpeg', 'webp', 'gif', 'pdf'] },
  });
  const uri = picked?.[0];
  if (!uri) return undefined;
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > MAX_MEDIA_BYTES) return { ok: false, message: tooLarge(name, size) };
  return mediaFromBytes(name, await vscode.workspace.fs.readFile(uri));
}
