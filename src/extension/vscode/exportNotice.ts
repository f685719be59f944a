/**
 * The notification after an export: where the file went, with "Reveal" (the OS file
 * manager on a local disk, the Explorer in a remote window) and "Open".
 */
import * as vscode from 'vscode';

export async function announceExport(uri: vscode.Uri): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`Neural Terminal: exported to ${uri.fsPath}.`, 'Reveal', 'Open');
  if (choice === 'Reveal') {
    const local = uri.scheme === 'file' && vscode.env.remoteName === undefined;
    await vscode.commands.executeCommand(local ? 'revealFileInOS' : 'revealInExplorer', uri);
  } else if (choice === 'Open') {
    await vscode.window.showTextDocument(uri, { preview: true });
  }
}
