/**
 * What `activate()` exposes to the integration tests running in the same extension
 * host. Read-only views of state plus the one entry point a test cannot reach through
 * the UI (feeding the view a raw, possibly malformed, message).
 */
import * as vscode from 'vscode';
import type { ChatViewProvider } from './chatViewProvider';
import type { ApiKeyStore } from './secrets';
import type { ExtensionLog } from './log';
import type { ChatServices } from './chatServices';
import type { ChatController } from './chatController';
import type { SpendStatusBar } from './statusBar';
import type { Settings, SettingsReader } from './config';
import type { HostDialogs } from './hostDialogs';
import type { WorkspaceSettingsGuard } from './workspaceSettings';

export interface TestApi {
  /** Resolves once the webview page has loaded and completed the ready handshake. */
  waitForWebviewReady(timeoutMs: number): Promise<void>;
  hasApiKey(): Promise<boolean>;
  /** Feeds a raw message to the view's handler; false when it was dropped as malformed. */
  injectWebviewMessage(raw: unknown): Promise<boolean>;
  /** Recent log lines, already redacted. */
  logLines(): string[];
  /** Time activate() took, ms. */
  readonly activationMs: number;
  /** The chat engine's parts (history, engine, catalog), created on first use. */
  services(): Promise<ChatServices>;
  /** The host side of the chat view. */
  readonly controller: ChatController;
  readonly statusBar: SpendStatusBar;
  /** The settings as the extension reads them (validated, defaults applied). */
  readSettings(): Settings;
  /** The host's confirmations: what was asked, and an answerer standing in for the modal. */
  readonly dialogs: HostDialogs;
  /**
   * Runs `neuralTerminal.<id>` with every argument (paths, keys, skip-dialog options).
   * The registered commands drop such arguments: only tests may pass them.
   */
  command(id: string, ...args: unknown[]): Promise<unknown>;
  /** What the workspace tried to set and was ignored, and how often the user was told. */
  readonly workspaceSettings: WorkspaceSettingsGuard;
}

export function createTestApi(parts: {
  chatView: ChatViewProvider;
  keys: ApiKeyStore;
  log: ExtensionLog;
  activationMs: number;
  services(): Promise<ChatServices>;
  controller: ChatController;
  statusBar: SpendStatusBar;
  settings: SettingsReader;
  dialogs: HostDialogs;
  runWithAllArgs(id: string, ...args: unknown[]): unknown;
  workspaceSettings: WorkspaceSettingsGuard;
}): TestApi {
  const { chatView, keys, log } = parts;
  return {
    waitForWebviewReady: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (chatView.isReady) return resolve();
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error(`Webview did not become ready within ${timeoutMs} ms`));
        }, timeoutMs);
        const sub: vscode.Disposable = chatView.onDidBecomeReady(() => {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        });
      }),
    hasApiKey: () => keys.has(),
    injectWebviewMessage: (raw) => chatView.receive(raw),
    logLines: () => log.recentLines(),
    activationMs: parts.activationMs,
    services: parts.services,
    controller: parts.controller,
    statusBar: parts.statusBar,
    readSettings: () => parts.settings.read(),
    dialogs: parts.dialogs,
    command: async (id, ...args) => parts.runWithAllArgs(id, ...args),
    workspaceSettings: parts.workspaceSettings,
  };
}
