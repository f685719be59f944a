/**
 * Reading workspace files for attachments: asynchronously (never blocking the host), an open
 * document's unsaved text when there is one (what the user sees), refusing binary files and
 * files too big to ever fit the attachment limit before reading them whole.
 */
import * as vscode from 'vscode';
import path from 'node:path';

/** Bytes per token no real text exceeds: a file over limit × this cannot fit. */
const MAX_BYTES_PER_TOKEN = 8;
/** Bytes looked at for a NUL (how git tells binary from text). */
const BINARY_SNIFF_BYTES = 8000;

export type ReadOutcome = { ok: true; text: string } | { ok: false; message: string };

export async function readWorkspaceText(uri: vscode.Uri, maxTokens: number): Promise<ReadOutcome> {
  const label = vscode.workspace.asRelativePath(uri, false);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { ok: true, text: open.getText() };
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return { ok: false, message: `${label} could not be read (it may have been deleted).` };
  }
  if (stat.type & vscode.FileType.Directory) return { ok: false, message: `${label} is a folder: use @folder.` };
  if (stat.size > maxTokens * MAX_BYTES_PER_TOKEN) {
    return {
      ok: false,
      message: `${label} is ${Math.round(stat.size / 1024)} KB, far over the attachment limit of ${maxTokens} tokens. Attach a selection of it, or raise neuralTerminal.attachments.maxTokens.`,
    };
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (isBinary(bytes)) return { ok: false, message: `${label} is a binary file; only text can be attached.` };
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
}

export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Fence language from a file name: its extension ("ts", "py"), or none. */
export function languageOfPath(p: string): string {
  const ext = path.extname(p).slice(1).toLowerCase();
  return /^[a-z0-9+#-]{1,12}$/.test(ext) ? ext : '';
}
