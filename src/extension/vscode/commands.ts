/**
 * Command handlers for the API key and logs. Each takes its dependencies; the
 * composition root (extension.ts) registers them.
 */
import * as vscode from 'vscode';
import { checkApiKey } from '../core/apiKey';
import type { ApiKeyStore } from './secrets';
import type { ExtensionLog } from './log';

export const COMMANDS = {
  setApiKey: 'neuralTerminal.setApiKey',
  clearApiKey: 'neuralTerminal.clearApiKey',
  showLogs: 'neuralTerminal.showLogs',
} as const;

/**
 * Asks for the key in a password box. A string argument skips the prompt (for
 * automation and tests); it is validated exactly like typed input.
 * Resolves true when a key was stored.
 */
export async function setApiKey(keys: ApiKeyStore, provided?: unknown): Promise<boolean> {
  let input: string | undefined;
  if (typeof provided === 'string') {
    input = provided;
  } else {
    input = await vscode.window.showInputBox({
      title: 'Neural Terminal: OpenRouter API Key',
      prompt: 'Paste your OpenRouter API key. It is kept in the editor’s secret storage — never in settings, logs or exports.',
      placeHolder: 'sk-or-v1-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => {
        const check = checkApiKey(value);
        return check.ok ? undefined : check.reason;
      },
    });
    if (input === undefined) return false; // cancelled: nothing changes
  }
  const check = checkApiKey(input);
  if (!check.ok) {
    void vscode.window.showErrorMessage(`Neural Terminal: ${check.reason} The stored key was not changed.`);
    return false;
  }
  await keys.set(check.key);
  void vscode.window.showInformationMessage('Neural Terminal: API key saved to secret storage.');
  return true;
}

export async function clearApiKey(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  void vscode.window.showInformationMessage('Neural Terminal: API key removed.');
}

export function showLogs(log: ExtensionLog): void {
  log.show();
}
