/**
 * What the webview asks the editor to do with model output: copy code, insert it at
 * the cursor, open it as a new file, open a link. Links open only after the user
 * confirms in a host dialog, and only http(s)/mailto: model output is untrusted input.
 */
import * as vscode from 'vscode';
import { judgeLink } from '../core/intentGuards';
import type { HostDialogs } from './hostDialogs';

export async function runCodeAction(action: 'copy' | 'insert' | 'newFile', code: string, language: string | undefined): Promise<void> {
  switch (action) {
    case 'copy':
      await vscode.env.clipboard.writeText(code);
      void vscode.window.setStatusBarMessage('$(check) Code copied', 2000);
      return;
    case 'insert': {
      const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
      if (!editor) {
        void vscode.window.showWarningMessage('Neural Terminal: open a file to insert the code into.');
        return;
      }
      // One undo step of its own, so a single Undo takes the whole insertion back.
      await editor.edit(
        (edit) => {
          for (const selection of editor.selections) edit.replace(selection, code);
        },
        { undoStopBefore: true, undoStopAfter: true },
      );
      return;
    }
    case 'newFile': {
      const document = await vscode.workspace.openTextDocument({ content: code, ...(language ? { language: languageId(language) } : {}) });
      await vscode.window.showTextDocument(document, { preview: false });
      return;
    }
  }
}

/** Markdown fence names that differ from VS Code language ids. */
function languageId(fence: string): string {
  const map: Record<string, string> = { ts: 'typescript', js: 'javascript', py: 'python', sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', yml: 'yaml', md: 'markdown', rs: 'rust', cs: 'csharp', 'c++': 'cpp' };
  const lower = fence.toLowerCase();
  return map[lower] ?? lower;
}

/**
 * Opens a link from model output after the user agrees in a host dialog. The host
 * judges the link itself: scheme without case, http(s)/mailto only, bidi controls
 * escaped in the text shown, and a link too long to read is shown as text, not opened.
 */
export async function openLinkWithConfirmation(url: string, dialogs: HostDialogs): Promise<void> {
  const verdict = judgeLink(url);
  switch (verdict.kind) {
    case 'invalid':
      void vscode.window.showWarningMessage('Neural Terminal: that link is not a valid address.');
      return;
    case 'refused':
      void vscode.window.showWarningMessage(`Neural Terminal: links of type “${verdict.scheme}:” are not opened from model output.`);
      return;
    case 'too-long':
      void vscode.window.showWarningMessage(
        `Neural Terminal: this link is ${verdict.length} characters long, too long to check, so it is not opened. It reads: ${verdict.shown}`,
      );
      return;
    case 'open': {
      let parsed: vscode.Uri;
      try {
        parsed = vscode.Uri.parse(verdict.url, true);
      } catch {
        void vscode.window.showWarningMessage('Neural Terminal: that link is not a valid address.');
        return;
      }
      const agreed = await dialogs.confirm({
        kind: 'openLink',
        message: "Open this link from the model's reply?",
        detail: verdict.shown,
        confirm: 'Open',
      });
      if (agreed) await vscode.env.openExternal(parsed);
      return;
    }
  }
}
