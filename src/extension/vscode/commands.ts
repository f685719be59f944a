/**
 * Command handlers for the API key, the optional management key, logs and diagnostics. Each takes its
 * dependencies; the composition root (extension.ts) registers them.
 */
import * as vscode from 'vscode';
import { checkApiKey } from '../core/apiKey';
import { formatBudget, formatCost, sub } from '../../shared/money';
import type { AccountCredits } from '../openrouter/account';
import type { KeyInfo } from '../openrouter/types';
import { isOpenRouterError } from '../openrouter/errors';
import { failureText } from '../core/failureText';
import type { ApiKeyStore } from './secrets';
import type { ExtensionLog } from './log';

export type KeyValidator = (key: string) => Promise<KeyInfo>;
export type ManagementKeyValidator = (key: string) => Promise<AccountCredits>;

export type KeyOutcome = 'stored' | 'stored-unverified' | 'rejected' | 'invalid' | 'cancelled';

/** The words one key's prompt and messages use. */
interface KeyTexts {
  readonly title: string;
  readonly prompt: string;
  readonly placeHolder: string;
  /** "API key", "management key". */
  readonly name: string;
}

const API_KEY_TEXTS: KeyTexts = {
  title: 'Neural Terminal: OpenRouter API Key',
  prompt: 'Paste your OpenRouter API key. It is kept in the editor’s secret storage — never in settings, logs or exports.',
  placeHolder: 'sk-or-v1-…',
  name: 'API key',
};

const MANAGEMENT_KEY_TEXTS: KeyTexts = {
  title: 'Neural Terminal: OpenRouter Management Key (optional)',
  prompt:
    'Paste an OpenRouter management key to show the account’s credits and reconcile spend with OpenRouter’s activity. It is only read, kept in the editor’s secret storage and never sent with chat requests.',
  placeHolder: 'sk-or-v1-…',
  name: 'management key',
};

/**
 * Asks for a key in a password box, checks it with `validate` (so a typo is caught now,
 * not at first use) and stores it in SecretStorage. A string argument skips the prompt
 * (automation, tests) and is validated exactly like typed input. A key the server rejects
 * (401/403) is not stored; one that cannot be checked (offline) is stored with a warning.
 * Returns the outcome and, when checked, what the check said.
 */
async function askAndStoreKey<T>(
  keys: ApiKeyStore,
  validate: (key: string) => Promise<T>,
  texts: KeyTexts,
  provided: unknown,
): Promise<{ outcome: KeyOutcome; checked?: T }> {
  let input: string | undefined;
  if (typeof provided === 'string') {
    input = provided;
  } else {
    input = await vscode.window.showInputBox({
      title: texts.title,
      prompt: texts.prompt,
      placeHolder: texts.placeHolder,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => {
        const check = checkApiKey(value);
        return check.ok ? undefined : check.reason;
      },
    });
    if (input === undefined) return { outcome: 'cancelled' };
  }
  const check = checkApiKey(input);
  if (!check.ok) {
    void vscode.window.showErrorMessage(`Neural Terminal: ${check.reason.replace('The API key', `The ${texts.name}`)} The stored key was not changed.`);
    return { outcome: 'invalid' };
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Neural Terminal: checking the ${texts.name}…`, cancellable: false },
    () => validate(check.key).then((i) => ({ ok: true as const, info: i }), (error: unknown) => ({ ok: false as const, error })),
  );
  if (!result.ok) {
    const kind = isOpenRouterError(result.error) ? result.error.kind : 'network';
    if (kind === 'unauthorized' || kind === 'missing_key') {
      void vscode.window.showErrorMessage(`Neural Terminal: OpenRouter rejected this ${texts.name}. The stored key was not changed.`);
      return { outcome: 'rejected' };
    }
    await keys.set(check.key);
    void vscode.window.showWarningMessage(
      `Neural Terminal: ${texts.name} saved, but it could not be checked now (${isOpenRouterError(result.error) ? failureText(result.error) : 'network error'}).`,
    );
    return { outcome: 'stored-unverified' };
  }
  await keys.set(check.key);
  return { outcome: 'stored', checked: result.info };
}

/** Set API Key: checked against `/key`; the message says the balance it reported. */
export async function setApiKey(keys: ApiKeyStore, validate: KeyValidator, provided?: unknown): Promise<KeyOutcome> {
  const { outcome, checked } = await askAndStoreKey(keys, validate, API_KEY_TEXTS, provided);
  if (checked) {
    const balance =
      checked.limitRemaining !== undefined ? `${formatBudget(checked.limitRemaining)} credit left` : `${formatCost(checked.usage)} used, no limit`;
    void vscode.window.showInformationMessage(`Neural Terminal: API key saved (${balance}).`);
  }
  return outcome;
}

/** Set Management Key: checked against `/credits` (only a management key may read it). */
export async function setManagementKey(keys: ApiKeyStore, validate: ManagementKeyValidator, provided?: unknown): Promise<KeyOutcome> {
  const { outcome, checked } = await askAndStoreKey(keys, validate, MANAGEMENT_KEY_TEXTS, provided);
  if (checked) {
    void vscode.window.showInformationMessage(
      `Neural Terminal: management key saved (account balance ${formatBudget(sub(checked.totalCredits, checked.totalUsage))}). Show Usage now reconciles spend with OpenRouter.`,
    );
  }
  return outcome;
}

export async function clearManagementKey(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  void vscode.window.showInformationMessage('Neural Terminal: management key removed.');
}

export async function clearApiKey(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  void vscode.window.showInformationMessage('Neural Terminal: API key removed.');
}

export function showLogs(log: ExtensionLog): void {
  log.show();
}
