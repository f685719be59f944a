/**
 * The OpenRouter API key, kept only in the editor's SecretStorage. Mirrors "is a key
 * stored" into the `neuralTerminal.hasApiKey` context key (drives the welcome view)
 * and registers the value with the Redactor so it can never be logged. The optional
 * management key (account figures only) is a second store of the same kind, in its own entry.
 */
import * as vscode from 'vscode';
import type { Redactor } from '../base/redact';
import type { Logger } from '../base/logger';

export const HAS_KEY_CONTEXT = 'neuralTerminal.hasApiKey';

/** Which secret a store holds: its SecretStorage entry, context key and name in log lines. */
export interface KeySlot {
  readonly secretId: string;
  readonly contextKey: string;
  readonly name: string;
}

export const API_KEY_SLOT: KeySlot = { secretId: 'neuralTerminal.openRouterApiKey', contextKey: HAS_KEY_CONTEXT, name: 'API key' };
export const MANAGEMENT_KEY_SLOT: KeySlot = {
  secretId: 'neuralTerminal.openRouterManagementKey',
  contextKey: 'neuralTerminal.hasManagementKey',
  name: 'Management key',
};

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
    private readonly slot: KeySlot = API_KEY_SLOT,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === slot.secretId) void this.refresh();
    });
  }

  async get(): Promise<string | undefined> {
    const key = await this.secrets.get(this.slot.secretId);
    this.remember(key);
    return key || undefined;
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  async set(key: string): Promise<void> {
    this.remember(key);
    await this.secrets.store(this.slot.secretId, key);
    await this.publish(true);
    this.log.info(`${this.slot.name} stored in secret storage.`);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(this.slot.secretId);
    await this.publish(false);
    this.log.info(`${this.slot.name} removed from secret storage.`);
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
    await vscode.commands.executeCommand('setContext', this.slot.contextKey, has);
    this.changed.fire(has);
  }
}
