/**
 * The OpenRouter API key, kept only in the editor's SecretStorage. Mirrors "is a key
 * stored" into the `neuralTerminal.hasApiKey` context key (drives the welcome view)
 * and registers the value with the Redactor so it can never be logged.
 */
import * as vscode from 'vscode';
import type { Redactor } from '../base/redact';
import type { Logger } from '../base/logger';

const SECRET_ID = 'neuralTerminal.openRouterApiKey';
export const HAS_KEY_CONTEXT = 'neuralTerminal.hasApiKey';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with whether a key is stored after it was set, cleared, or changed in another window. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private known: string | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly redactor: Redactor,
    private readonly log: Logger,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SECRET_ID) void this.refresh();
    });
  }

  async get(): Promise<string | undefined> {
    const key = await this.secrets.get(SECRET_ID);
    this.remember(key);
    return key || undefined;
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  async set(key: string): Promise<void> {
    this.remember(key);
    await this.secrets.store(SECRET_ID, key);
    await this.publish(true);
    this.log.info('API key stored in secret storage.');
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_ID);
    await this.publish(false);
    this.log.info('API key removed from secret storage.');
  }

  /** Re-reads the secret and updates the context key; call once at activation. */
  async refresh(): Promise<boolean> {
    const has = await this.has();
    await this.publish(has);
    return has;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private remember(key: string | undefined): void {
    // Keep redacting an old key after it is replaced: it may still sit in a log line.
    if (key && key !== this.known) {
      this.redactor.addSecret(key);
      this.known = key;
    }
  }

  private async publish(has: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', HAS_KEY_CONTEXT, has);
    this.changed.fire(has);
  }
}
