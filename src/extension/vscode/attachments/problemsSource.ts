/**
 * `@problems`: the Problems panel's diagnostics for the active file or the whole workspace,
 * one per line (`path:line:col severity [source code] message`), errors first, bounded.
 */
import * as vscode from 'vscode';
import type { SourceOutcome } from './source';

/** Most diagnostics attached; the rest are counted. */
const MAX_DIAGNOSTICS = 500;
const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

export async function problemsSource(): Promise<SourceOutcome> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const items: Array<vscode.QuickPickItem & { scope: 'file' | 'workspace' }> = [];
  if (active) items.push({ label: 'Active file', description: vscode.workspace.asRelativePath(active, false), scope: 'file' });
  items.push({ label: 'Whole workspace', scope: 'workspace' });
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Attach problems of…' });
  if (!pick) return undefined;
  const entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> =
    pick.scope === 'file' && active ? [[active, vscode.languages.getDiagnostics(active)]] : vscode.languages.getDiagnostics();
  const label = pick.scope === 'file' && active ? `Problems of ${vscode.workspace.asRelativePath(active, false)}` : 'Problems (workspace)';
  const text = formatDiagnostics(entries.map(([uri, list]) => [vscode.workspace.asRelativePath(uri, false), list]));
  if (!text) return { ok: false, message: `${pick.scope === 'file' ? 'The active file has' : 'The workspace has'} no problems to attach.` };
  return { ok: true, draft: { kind: 'problems', label, text } };
}

export function formatDiagnostics(entries: ReadonlyArray<readonly [string, readonly vscode.Diagnostic[]]>): string {
  const all = entries.flatMap(([path, list]) => list.map((d) => ({ path, d })));
  all.sort((a, b) => a.d.severity - b.d.severity || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.d.range.start.line - b.d.range.start.line);
  const lines = all.slice(0, MAX_DIAGNOSTICS).map(({ path, d }) => {
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    const origin = [d.source, code].filter((x) => x !== undefined && x !== '').join(' ');
    const where = `${path}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
    return `${where} ${SEVERITY[d.severity] ?? 'info'}${origin ? ` [${origin}]` : ''} ${d.message.replace(/\s*\n\s*/g, ' ')}`;
  });
  if (all.length > MAX_DIAGNOSTICS) lines.push(`… and ${all.length - MAX_DIAGNOSTICS} more`);
  return lines.join('\n');
}
