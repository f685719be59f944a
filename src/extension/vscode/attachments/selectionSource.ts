/** `@selection`: the active editor's selection, labelled `path:lines`. */
import * as vscode from 'vscode';
import { fenceLanguage } from '../../core/selectionPrompt';
import type { SourceOutcome } from './source';

export function selectionSource(): SourceOutcome {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return { ok: false, message: 'Open a file and select some code to attach it.' };
  const { document, selection } = editor;
  const text = document.getText(selection);
  if (selection.isEmpty || !text.trim()) return { ok: false, message: 'Nothing is selected in the editor. Select some code, or attach the whole file with @file.' };
  return { ok: true, draft: { kind: 'selection', label: selectionLabel(document, selection), text, language: fenceLanguage(document.languageId) } };
}

/** `src/a.ts:12-30` (a selection ending at a line's start ends on the line before). */
export function selectionLabel(document: vscode.TextDocument, range: vscode.Range): string {
  const where = document.isUntitled ? document.fileName : vscode.workspace.asRelativePath(document.uri, false);
  const start = range.start.line + 1;
  const end = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
  return start === end ? `${where}:${start}` : `${where}:${start}-${end}`;
}
