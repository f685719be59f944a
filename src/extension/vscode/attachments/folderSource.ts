/**
 * `@folder`: a tree summary of the picked folder and the files that fit what the attachment
 * limit leaves, built by core/attachments/folder.ts without holding the host thread.
 */
import * as vscode from 'vscode';
import { buildFolderDraft } from '../../core/attachments/folder';
import { pickWorkspaceFolder } from './pickers';
import type { SourceContext, SourceOutcome } from './source';
import { readWorkspaceText } from './workspaceText';

/** Files stat-ed at once (sizes let the builder skip what cannot fit without reading it). */
const STAT_BATCH = 64;

export async function folderSource(ctx: SourceContext): Promise<SourceOutcome> {
  const picked = await pickWorkspaceFolder();
  if (!picked) return undefined;
  if (picked.files.length === 0) return { ok: false, message: `${picked.folder || 'The workspace'} has no files to attach.` };
  return buildFolder(picked.folder, picked.files, ctx);
}

export async function buildFolder(folder: string, files: readonly { uri: vscode.Uri; path: string }[], ctx: SourceContext): Promise<SourceOutcome> {
  const byPath = new Map(files.map((f) => [f.path, f.uri]));
  const sized: { path: string; size: number }[] = [];
  for (let i = 0; i < files.length; i += STAT_BATCH) {
    const batch = files.slice(i, i + STAT_BATCH);
    const stats = await Promise.all(batch.map((f) => Promise.resolve(vscode.workspace.fs.stat(f.uri)).then((s) => s.size, () => 0)));
    batch.forEach((f, j) => sized.push({ path: f.path, size: stats[j] ?? 0 }));
  }
  const label = folder ? `${folder}/` : `${vscode.workspace.name ?? 'workspace'}/`;
  const draft = await buildFolderDraft(
    { label, files: sized, budgetTokens: Math.floor(ctx.remainingTokens * 0.97) },
    {
      read: async (p) => {
        const uri = byPath.get(p);
        if (!uri) return undefined;
        const r = await readWorkspaceText(uri, ctx.maxTokens);
        return r.ok ? r.text : undefined;
      },
      count: (text) => ctx.count(text),
      now: () => performance.now(),
      yieldNow: () => new Promise<void>((resolve) => setImmediate(resolve)),
    },
  );
  return { ok: true, draft, shown: `Attached ${label}: ${draft.note ?? ''}` };
}
