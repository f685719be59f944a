/**
 * `editor/openLocation`, the editor's half: opens a file a user message sent code from, at
 * those lines. The handler (intents/editor.ts) has already checked the stored message
 * carried this location; here the file must resolve — after symlinks — inside a workspace
 * folder. A refusal says why (the view shows the reply's reason).
 */
import * as vscode from 'vscode';
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { SentLocation } from '../../shared/sentSelection';

export async function openWorkspaceLocation(asked: SentLocation): Promise<void> {
  const file = await fileInWorkspace(asked.path);
  if (!file) throw new Error(`${asked.path} is not a file in this workspace.`);
  const document = await vscode.workspace.openTextDocument(file);
  const last = Math.max(0, document.lineCount - 1);
  const start = Math.min(asked.startLine - 1, last);
  const end = Math.min(asked.endLine - 1, last);
  const range = new vscode.Range(start, 0, end, document.lineAt(end).text.length);
  await vscode.window.showTextDocument(document, { selection: range, preview: true, viewColumn: vscode.ViewColumn.Active });
}

/**
 * The file a sent path names, when it is inside one of the workspace folders. Multi-root
 * labels start with the folder's name (`asRelativePath`), so that form is tried too.
 */
async function fileInWorkspace(path: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const root = folder.uri.fsPath;
    const candidates = [path];
    if (path.startsWith(`${folder.name}/`)) candidates.push(path.slice(folder.name.length + 1));
    for (const candidate of candidates) {
      const inside = await resolvedInside(root, candidate);
      if (inside) return vscode.Uri.file(inside);
    }
  }
  return undefined;
}

/** The real path of `path` under `root`, or undefined when it leaves the root or does not exist. */
export async function resolvedInside(root: string, path: string): Promise<string | undefined> {
  const within = (base: string, target: string) => {
    const rel = relative(base, target);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  const target = resolve(root, path);
  if (!within(root, target)) return undefined;
  try {
    const [realRoot, realTarget] = await Promise.all([realpath(root), realpath(target)]);
    return within(realRoot, realTarget) ? realTarget : undefined;
  } catch {
    return undefined; // missing file
  }
}
