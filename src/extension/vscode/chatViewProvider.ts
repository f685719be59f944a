/**
 * The sidebar chat view. Owns the webview's lifetime: renders the shell, validates
 * every incoming message against the protocol (invalid → dropped and logged), and
 * answers the page's `ready` with a snapshot of host state. Messages posted while the
 * view is hidden are lost, so state is always re-sent on `ready`, never assumed.
 */
import * as vscode from 'vscode';
import {
  parseWebviewMessage,
  PROTOCOL_VERSION,
  type HostMessage,
  type ViewSnapshot,
  type WebviewMessage,
} from '../../shared/protocol';
import type { Logger } from '../core/logger';
import { renderShell, webviewRoots } from './webviewHtml';

export const CHAT_VIEW_ID = 'neuralTerminal.chat';

export interface ChatViewDeps {
  extensionUri: vscode.Uri;
  log: Logger;
  snapshot(): Promise<ViewSnapshot>;
  /** Every intent other than the handshake and webview logs goes to the controller. */
  onIntent(message: Exclude<WebviewMessage, { type: 'ready' | 'webviewLog' }>): Promise<void>;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  /** Fires each time the page (re)loads and completes the handshake. */
  readonly onDidBecomeReady = this.readyEmitter.event;
  private ready = false;

  constructor(private readonly deps: ChatViewDeps) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    };
    view.webview.html = renderShell({
      webview: view.webview,
      extensionUri: this.deps.extensionUri,
      title: 'Neural Terminal',
    });
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
    this.deps.log.debug('Chat view resolved.');
  }

  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Handles one raw message from the page. Returns whether it was accepted; public so
   * the integration tests can prove malformed input is dropped, not thrown.
   */
  async receive(raw: unknown): Promise<boolean> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Dropped a malformed message from the webview: ${parsed.error}`);
      return false;
    }
    try {
      await this.handle(parsed.message);
    } catch (err) {
      this.deps.log.error(`Handling webview message '${parsed.message.type}' failed: ${String(err)}`);
    }
    return true;
  }

  /** Sends the current state; a no-op until the page said it is ready. */
  async refresh(): Promise<void> {
    if (this.ready) await this.post({ type: 'snapshot', snapshot: await this.deps.snapshot() });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.readyEmitter.dispose();
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          this.deps.log.warn(
            `Webview speaks protocol ${message.protocolVersion}, host speaks ${PROTOCOL_VERSION}; reloading it.`,
          );
        }
        this.ready = true;
        await this.post({ type: 'snapshot', snapshot: await this.deps.snapshot() });
        this.readyEmitter.fire();
        return;
      case 'webviewLog':
        this.deps.log[message.level](`[webview] ${message.message}`);
        return;
      default:
        await this.deps.onIntent(message);
    }
  }

  /** Posts to the page if it is loaded; hidden views lose messages, so callers never rely on delivery. */
  async post(message: HostMessage): Promise<void> {
    // postMessage resolves false when the view is hidden; the next `ready` resends state.
    await this.view?.webview.postMessage(message);
  }
}
