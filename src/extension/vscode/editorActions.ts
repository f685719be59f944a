/**
 * What the webview asks the editor to do with model output: copy code, insert it at
 * the cursor, open it as a new file, open a link. Links open only after the user
 * confirms, and only http(s)/mailto: model output is untrusted input.
 */
import * as vscode from 'vscode';

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
      await editor.edit((edit) => {
        for (const selection of editor.selections) edit.replace(selection, code);
      });
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

export async function openLinkWithConfirmation(url: string): Promise<void> {
  let parsed: vscode.Uri;
  try {
    parsed = vscode.Uri.parse(url, true);
  } catch {
    void vscode.window.showWarningMessage('Neural Terminal: that link is not a valid address.');
    return;
  }
  if (!['http', 'https', 'mailto'].includes(parsed.scheme)) {
    void vscode.window.showWarningMessage(`Neural Terminal: links of type “${parsed.scheme}:” are not opened from model output.`);
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    `Open this link from the model's reply?\n${url.slice(0, 300)}`,
    { modal: true },
    'Open',
  );
  if (choice === 'Open') await vscode.env.openExternal(parsed);
}
