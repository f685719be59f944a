/**
 * Command handlers for the API key, logs and diagnostics. Each takes its
 * dependencies; the composition root (extension.ts) registers them.
 */
import * as vscode from 'vscode';
import { checkApiKey } from '../core/apiKey';
import { formatUsd } from '../../shared/money';
import type { KeyInfo } from '../openrouter/types';
import { isOpenRouterError } from '../openrouter/errors';
import { failureText } from '../core/failureText';
import type { ApiKeyStore } from './secrets';
import type { ExtensionLog } from './log';

export type KeyValidator = (key: string) => Promise<KeyInfo>;

export type KeyOutcome = 'stored' | 'stored-unverified' | 'rejected' | 'invalid' | 'cancelled';

/**
 * Asks for the key in a password box, checks it against `/key` (so a typo is caught
 * now, not at the first send) and stores it in SecretStorage. A string argument skips
 * the prompt (automation, tests) and is validated exactly like typed input. A key the
 * server rejects (401) is not stored; one that cannot be checked (offline) is stored
 * with a warning.
 */
export async function setApiKey(keys: ApiKeyStore, validate: KeyValidator, provided?: unknown): Promise<KeyOutcome> {
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
    if (input === undefined) return 'cancelled';
  }
  const check = checkApiKey(input);
  if (!check.ok) {
    void vscode.window.showErrorMessage(`Neural Terminal: ${check.reason} The stored key was not changed.`);
    return 'invalid';
  }
  const info = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Neural Terminal: checking the API key…', cancellable: false },
    () => validate(check.key).then((i) => ({ ok: true as const, info: i }), (error: unknown) => ({ ok: false as const, error })),
  );
  if (!info.ok) {
    const kind = isOpenRouterError(info.error) ? info.error.kind : 'network';
    if (kind === 'unauthorized' || kind === 'missing_key') {
      void vscode.window.showErrorMessage('Neural Terminal: OpenRouter rejected this key. The stored key was not changed.');
      return 'rejected';
    }
    await keys.set(check.key);
    void vscode.window.showWarningMessage(
      `Neural Terminal: API key saved, but it could not be checked now (${isOpenRouterError(info.error) ? failureText(info.error) : 'network error'}).`,
    );
    return 'stored-unverified';
  }
  await keys.set(check.key);
  const balance =
    info.info.limitRemaining !== undefined
      ? `${formatUsd(info.info.limitRemaining, 2)} credit left`
      : `${formatUsd(info.info.usage, 2)} used, no limit`;
  void vscode.window.showInformationMessage(`Neural Terminal: API key saved (${balance}).`);
  return 'stored';
}

export async function clearApiKey(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  void vscode.window.showInformationMessage('Neural Terminal: API key removed.');
}

export function showLogs(log: ExtensionLog): void {
  log.show();
}
